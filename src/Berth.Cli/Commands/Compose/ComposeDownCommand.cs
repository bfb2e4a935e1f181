using Berth.Cli.Parsing;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose down</c>: the project's containers, then its networks (never an external one), with <c>-v</c> its volumes.</summary>
public sealed class ComposeDownCommand(IComposeProjectSource source) : ComposeCommand(source)
{
    public override string Name => "down";

    public override string Arguments => "[OPTIONS]";

    public override string Description => "Stop and remove containers, networks";

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("remove-orphans", null, null, "Remove containers for services not defined in the Compose file"),
        new("timeout", 't', "int", "Specify a shutdown timeout in seconds"),
        new("volumes", 'v', null, "Remove named volumes declared in the \"volumes\" section of the Compose file"),
    ];

    protected override async Task<int> RunAsync(CommandContext context, ComposeEngine engine, ComposeProject project, ParsedArgs args, CancellationToken cancellationToken)
    {
        await engine.DownAsync(project, new DownOptions(args.IsSet("remove-orphans"), args.IsSet("volumes"), Timeout(args)), cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
