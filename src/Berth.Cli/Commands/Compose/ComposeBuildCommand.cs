using Berth.Cli.Parsing;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose build [SERVICE…]</c>: each service with <c>build:</c> built through <c>POST /build</c> and tagged as
/// the image it runs (its <c>image:</c>, else <c>PROJECT_SERVICE</c>), in name order, as docker-compose 1.29 does.
/// </summary>
public sealed class ComposeBuildCommand(IComposeProjectSource source) : ComposeCommand(source)
{
    public override string Name => "build";

    public override string Arguments => "[OPTIONS] [SERVICE...]";

    public override string Description => "Build or rebuild services";

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("build-arg", null, "list", "Set build-time variables for services"),
        new("no-cache", null, null, "Do not use cache when building the image"),
        new("pull", null, null, "Always attempt to pull a newer version of the image"),
        new("quiet", 'q', null, "Don't print anything to STDOUT"),
    ];

    protected override async Task<int> RunAsync(CommandContext context, ComposeEngine engine, ComposeProject project, ParsedArgs args, CancellationToken cancellationToken)
    {
        ComposeEngine.CheckServices(project, args.Positionals);
        var options = new BuildOptions(ImageBuildCommand.Pairs(args.All("build-arg"), fromEnvironment: true))
        {
            NoCache = args.IsSet("no-cache"),
            Pull = args.IsSet("pull"),
            Quiet = args.IsSet("quiet"),
        };
        var services = project.Services.Values.Where(s => args.Positionals.Count == 0 || args.Positionals.Contains(s.Name));
        await engine.BuildAsync(services, options, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
