using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary><c>berth restart</c>: <c>POST /containers/{c}/restart[?signal=S&amp;t=N]</c> for each.</summary>
public sealed class RestartCommand(string path) : ContainerCommand(path)
{
    public override string Arguments => "[OPTIONS] CONTAINER [CONTAINER...]";

    public override string Description => "Restart one or more containers";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("signal", 's', "string", "Signal to send to the container"),
        new("timeout", 't', "int", "Seconds to wait before killing the container"),
    ];

    protected override Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var query = StopCommand.StopQuery(args, Path);
        return ForEachAsync(context, args.Positionals, name => context.Client.SendAsync(HttpMethod.Post, ContainerPath(name, "/restart") + query, cancellationToken: cancellationToken));
    }
}
