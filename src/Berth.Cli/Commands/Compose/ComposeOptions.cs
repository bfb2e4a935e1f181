using Berth.Cli.Parsing;
using Berth.Compose.Loading;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose</c>'s own flags, given before the subcommand: which files, which project, which profiles.</summary>
public sealed record ComposeOptions
{
    public static readonly IReadOnlyList<FlagSpec> Flags =
    [
        new("file", 'f', "stringArray", "Compose configuration files"),
        new("project-name", 'p', "string", "Project name"),
        new("profile", null, "stringArray", "Specify a profile to enable"),
        new("project-directory", null, "string", "Specify an alternate working directory (default: the path of the first Compose file)"),
        new("env-file", null, "stringArray", "Specify an alternate environment file"),
        new("help", 'h', null, "Print usage"),
    ];

    public IReadOnlyList<string> Files { get; init; } = [];

    public string? ProjectName { get; init; }

    public IReadOnlyList<string> Profiles { get; init; } = [];

    public string? ProjectDirectory { get; init; }

    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    public static ComposeOptions From(ParsedArgs args) => new()
    {
        Files = args.All("file"),
        ProjectName = args.Last("project-name"),
        Profiles = args.All("profile"),
        ProjectDirectory = args.Last("project-directory"),
        EnvFiles = args.All("env-file"),
    };

    /// <summary>The loader's options for a command run in <paramref name="context"/>: its environment; warnings go to its stderr.</summary>
    public ComposeLoadOptions ToLoadOptions(CommandContext context) => new()
    {
        Files = Files,
        ProjectName = ProjectName,
        Profiles = Profiles,
        ProjectDirectory = ProjectDirectory,
        EnvFiles = EnvFiles,
        Environment = context.Environment,
        Warning = warning => context.Err.WriteLine("WARN: " + warning),
    };
}
