using Berth.Cli.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth rm</c>: <c>DELETE /containers/{c}[?force=1&amp;v=1]</c> for each. With <c>-f</c> a container that does not exist is
/// reported but is not a failure (docker 28).
/// </summary>
public sealed class RmCommand(string path) : ContainerCommand(path)
{
    public override string Arguments => "[OPTIONS] CONTAINER [CONTAINER...]";

    public override string Description => "Remove one or more containers";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("force", 'f', null, "Force the removal of a running container (uses SIGKILL)"),
        new("link", 'l', null, "Remove the specified link"),
        new("volumes", 'v', null, "Remove anonymous volumes associated with the container"),
    ];

    protected override Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var force = args.IsSet("force");
        var parts = new List<string>();
        if (force)
        {
            parts.Add("force=1");
        }

        if (args.IsSet("link"))
        {
            parts.Add("link=1");
        }

        if (args.IsSet("volumes"))
        {
            parts.Add("v=1");
        }

        var query = parts.Count == 0 ? "" : "?" + string.Join('&', parts);
        return ForEachAsync(
            context,
            args.Positionals,
            name => context.Client.SendAsync(HttpMethod.Delete, ContainerPath(name) + query, cancellationToken: cancellationToken),
            ignore: e => force && e.StatusCode == DaemonErrorException.NotFound);
    }
}
