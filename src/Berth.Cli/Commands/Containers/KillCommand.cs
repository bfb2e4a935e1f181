using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary><c>berth kill</c>: <c>POST /containers/{c}/kill[?signal=S]</c> for each (the daemon's default is KILL).</summary>
public sealed class KillCommand(string path) : ContainerCommand(path)
{
    public override string Arguments => "[OPTIONS] CONTAINER [CONTAINER...]";

    public override string Description => "Kill one or more running containers";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("signal", 's', "string", "Signal to send to the container"),
    ];

    protected override Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var query = args.Last("signal") is { Length: > 0 } signal ? "?signal=" + Uri.EscapeDataString(signal) : "";
        return ForEachAsync(context, args.Positionals, name => context.Client.SendAsync(HttpMethod.Post, ContainerPath(name, "/kill") + query, cancellationToken: cancellationToken));
    }
}
