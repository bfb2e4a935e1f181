using Berth.Cli.Parsing;
using Berth.Compose.Loading;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose config</c>: loads and validates the project, then prints it resolved (or only its service, network or volume names).</summary>
public sealed class ComposeConfigCommand(ComposeOptions options) : CliCommand
{
    public string Name => "config";

    public override string Path => ComposeCommand.PathPrefix + Name;

    public override string Arguments => "[OPTIONS] [SERVICE...]";

    public override string Description => "Parse, resolve and render compose file in canonical format";

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("quiet", 'q', null, "Only validate the configuration, don't print anything"),
        new("services", null, null, "Print the service names, one per line"),
        new("networks", null, null, "Print the network names, one per line"),
        new("volumes", null, null, "Print the volume names, one per line"),
        new("profiles", null, null, "Print the profile names, one per line"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var project = ComposeLoader.Load(options.ToLoadOptions(context));
        if (args.Positionals.Count > 0)
        {
            var unknown = args.Positionals.FirstOrDefault(s => !project.Services.ContainsKey(s));
            if (unknown is not null)
            {
                throw new StatusException(ExitCodes.Failure, $"no such service: {unknown}");
            }

            project = project with { Services = project.Services.RemoveRange(project.Services.Keys.Except(args.Positionals)) };
        }

        IEnumerable<string>? names = null;
        if (args.IsSet("services"))
        {
            names = project.Services.Keys;
        }
        else if (args.IsSet("networks"))
        {
            names = project.Networks.Keys;
        }
        else if (args.IsSet("volumes"))
        {
            names = project.Volumes.Keys;
        }
        else if (args.IsSet("profiles"))
        {
            // Every profile named in the files, whether enabled or not, needs all services: load again with every profile on.
            names = ComposeLoader.Load(options.ToLoadOptions(context) with { Profiles = ["*"], Warning = null })
                .Services.Values.SelectMany(s => s.Profiles).Distinct().Order(StringComparer.Ordinal);
        }

        if (args.IsSet("quiet"))
        {
            return ExitCodes.Success;
        }

        if (names is not null)
        {
            foreach (var name in names)
            {
                await context.Out.WriteLineAsync(name).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }

        ComposeConfigWriter.Write(project, context.Out);
        return ExitCodes.Success;
    }
}
