using Berth.Cli.Client;
using Berth.Cli.Commands.Containers;
using Berth.Cli.Parsing;
using Berth.Compose.Model;
using Berth.Compose.Planning;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose pull [SERVICE…]</c>: each service's image, as <c>berth pull</c> pulls it; services with only <c>build:</c> are skipped.</summary>
public sealed class ComposePullCommand(IComposeProjectSource source) : ComposeCommand(source)
{
    public override string Name => "pull";

    public override string Arguments => "[OPTIONS] [SERVICE...]";

    public override string Description => "Pull service images";

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("ignore-pull-failures", null, null, "Pull what it can and ignores images with pull failures"),
        new("quiet", 'q', null, "Pull without printing progress information"),
    ];

    protected override async Task<int> RunAsync(CommandContext context, ComposeEngine engine, ComposeProject project, ParsedArgs args, CancellationToken cancellationToken)
    {
        ComposeEngine.CheckServices(project, args.Positionals);
        var quiet = args.IsSet("quiet");
        using var quietContext = quiet ? new CommandContext(context.Console with { Err = TextWriter.Null }, context.Host, context.Environment) : null;
        foreach (var service in project.Services.Values.Where(s => args.Positionals.Count == 0 || args.Positionals.Contains(s.Name)))
        {
            if (service.Image is null || (service.Build is not null && service.Image == ComposeNames.BuiltImage(project.Name, service.Name)))
            {
                await context.Err.WriteLineAsync($"Skipping {service.Name}: it is built from build: (berth compose build)").ConfigureAwait(false);
                continue;
            }

            if (!quiet)
            {
                await context.Err.WriteLineAsync($"Pulling {service.Name} ... {service.Image}").ConfigureAwait(false);
            }

            try
            {
                await ImagePull.PullAsync(quietContext ?? context, service.Image, cancellationToken).ConfigureAwait(false);
            }
            catch (DaemonErrorException e) when (args.IsSet("ignore-pull-failures"))
            {
                await context.Err.WriteLineAsync($"WARNING: pulling {service.Name} ({service.Image}) failed: {e.Message}").ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }
}
