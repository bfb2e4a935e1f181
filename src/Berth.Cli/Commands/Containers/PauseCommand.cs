using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary><c>berth pause</c> and <c>berth unpause</c>: <c>POST /containers/{c}/pause|unpause</c> for each, docker's loop.</summary>
public sealed class PauseCommand(string path, bool unpause = false) : ContainerCommand(path)
{
    public override string Arguments => "CONTAINER [CONTAINER...]";

    public override string Description => unpause ? "Unpause all processes within one or more containers" : "Pause all processes within one or more containers";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } = [];

    protected override Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken) =>
        ForEachAsync(context, args.Positionals, name => context.Client.SendAsync(HttpMethod.Post, ContainerPath(name, unpause ? "/unpause" : "/pause"), cancellationToken: cancellationToken));
}
