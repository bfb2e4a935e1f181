using Berth.Cli.Parsing;
using Berth.Compose.Loading;

namespace Berth.Cli.Commands.Stack;

/// <summary>
/// <c>berth stack deploy -c FILE… NAME</c> (<c>up</c>): loads the files as a stack (Berth.Compose's loader: interpolation,
/// <c>.env</c>, merging, every problem with file:line:col), converts them as docker's CLI does (<see cref="StackConverter"/>),
/// then creates or updates the stack's objects (<see cref="StackDeployer"/>), printing what docker prints.
/// </summary>
public sealed class StackDeployCommand : CliCommand
{
    public const string ResolveAlways = "always";
    public const string ResolveChanged = "changed";
    public const string ResolveNever = "never";

    public override string Path => "berth stack deploy";

    public override string Arguments => "[OPTIONS] STACK";

    public override string Description => "Deploy a new stack or update an existing stack";

    public override IReadOnlyList<string> Aliases => ["berth stack deploy", "berth stack up"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("compose-file", 'c', "strings", "Path to a Compose file"),
        new("detach", 'd', null, "Exit immediately instead of waiting for the stack services to converge (default true)"),
        new("prune", null, null, "Prune services that are no longer referenced"),
        new("quiet", 'q', null, "Suppress progress output"),
        new("resolve-image", null, "string", "Query the registry to resolve image digest and supported platforms (\"always\", \"changed\", \"never\") (default \"always\")"),
        new("with-registry-auth", null, null, "Send registry authentication details to Swarm agents"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var stack = StackNames.Validate(args.Positionals[0]);
        var resolveImage = args.Last("resolve-image") ?? ResolveAlways;
        var files = args.All("compose-file").SelectMany(f => f.Split(',')).ToList();
        if (files.Count == 0)
        {
            throw new StatusException(ExitCodes.Failure, "Specify a Compose file (with --compose-file)");
        }

        if (files.FirstOrDefault(f => !File.Exists(System.IO.Path.GetFullPath(f))) is { } missing)
        {
            throw new StatusException(ExitCodes.Failure, $"open {missing}: no such file or directory");
        }

        var project = ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = files,
            ProjectName = stack,
            Stack = true,
            Environment = context.Environment,
            Warning = warning => context.Err.WriteLine("WARN: " + warning),
        });
        if (!project.UnsupportedStackOptions.IsEmpty)
        {
            await context.Err.WriteAsync($"Ignoring unsupported options: {string.Join(", ", project.UnsupportedStackOptions)}\n\n").ConfigureAwait(false);
        }

        if (!project.DeprecatedStackOptions.IsEmpty)
        {
            await context.Err.WriteAsync(
                $"Ignoring deprecated options:\n\n{string.Join("\n\n", project.DeprecatedStackOptions.Select(d => $"{d.Key}: {d.Value}"))}\n\n").ConfigureAwait(false);
        }

        if (resolveImage is not (ResolveAlways or ResolveChanged or ResolveNever))
        {
            throw new StatusException(ExitCodes.Failure, $"Invalid option {resolveImage} for flag --resolve-image");
        }

        var detach = args.Last("detach") != "false";
        if (detach && !args.Has("detach"))
        {
            await context.Err.WriteLineAsync("Since --detach=false was not specified, tasks will be created in the background.\n" +
                "In a future release, --detach=false will become the default.").ConfigureAwait(false);
        }

        var plan = StackConverter.Convert(stack, project);
        Func<string, string?>? registryAuth = args.IsSet("with-registry-auth")
            ? image => Registry.RegistryAuthHeader.ForImage(image, context.Environment)
            : null;
        var deployer = new StackDeployer(new StackApi(context.Client), context.Out, context.Err, registryAuth);
        var serviceIds = await deployer.DeployAsync(plan, args.IsSet("prune"), resolveImage, cancellationToken).ConfigureAwait(false);
        if (!detach)
        {
            var terminal = context.Console.Terminal;
            await deployer.WaitAsync(serviceIds, args.IsSet("quiet"), terminal.IsOutputTerminal, terminal.Size?.Columns ?? 200, cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
