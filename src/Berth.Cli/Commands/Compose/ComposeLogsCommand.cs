using Berth.Cli.Parsing;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose logs [SERVICE…]</c>: each container's log under its prefix; <c>-f</c> follows them all at once.</summary>
public sealed class ComposeLogsCommand(IComposeProjectSource source) : ComposeCommand(source)
{
    public override string Name => "logs";

    public override string Arguments => "[OPTIONS] [SERVICE...]";

    public override string Description => "View output from containers";

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("follow", 'f', null, "Follow log output"),
        new("no-color", null, null, "Produce monochrome output"),
        new("tail", 'n', "string", "Number of lines to show from the end of the logs for each container (default \"all\")"),
        new("timestamps", 't', null, "Show timestamps"),
    ];

    protected override async Task<int> RunAsync(CommandContext context, ComposeEngine engine, ComposeProject project, ParsedArgs args, CancellationToken cancellationToken)
    {
        ComposeEngine.CheckServices(project, args.Positionals);
        var containers = await engine.ContainersAsync(project, args.Positionals, cancellationToken).ConfigureAwait(false);
        var options = new LogOptions(
            args.IsSet("follow"), args.IsSet("timestamps"), args.Last("tail") ?? "all", Color: !args.IsSet("no-color") && context.Console.Terminal.IsOutputTerminal);
        await engine.LogsAsync([.. containers.Select(c => new ServiceContainer(c.Service, c.Number, c.Id, c.Name))], options, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
