using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>
/// The image commands: <c>berth image SUBCOMMAND</c> and docker's top-level shortcuts (<c>build</c>, <c>images</c>, <c>pull</c>,
/// <c>import</c>, <c>load</c>, <c>save</c>, <c>tag</c>, <c>rmi</c>, <c>history</c>).
/// </summary>
public static class ImageCommands
{
    public const string Usage = "berth image COMMAND";

    public static readonly CliCommand[] Group =
    [
        new ImageBuildCommand(), new ImageHistoryCommand(), new ImageImportCommand(), new ImageInspectCommand(), new ImageLoadCommand(), new ImageLsCommand(),
        new ImagePruneCommand(), new ImagePullCommand(), new ImageRmCommand(), new ImageSaveCommand(), new ImageTagCommand(),
    ];

    public static readonly string[] TopLevelNames = ["build", "history", "images", "import", "load", "pull", "rmi", "save", "tag"];

    /// <summary>A top-level shortcut, or null when <paramref name="name"/> is none.</summary>
    public static CliCommand? TopLevel(string name) => name switch
    {
        "build" => new ImageBuildCommand("berth build"),
        "images" => new ImageLsCommand("berth images"),
        "pull" => new ImagePullCommand("berth pull"),
        "import" => new ImageImportCommand("berth import"),
        "load" => new ImageLoadCommand("berth load"),
        "save" => new ImageSaveCommand("berth save"),
        "tag" => new ImageTagCommand("berth tag"),
        "rmi" => new ImageRmCommand("berth rmi"),
        "history" => new ImageHistoryCommand("berth history"),
        _ => null,
    };

    /// <summary><c>berth image NAME</c> with docker's aliases (<c>list</c>, <c>remove</c>).</summary>
    public static CliCommand Find(string name)
    {
        var canonical = name switch
        {
            "list" => "ls",
            "remove" => "rm",
            var other => other,
        };
        return Group.FirstOrDefault(c => c.Path == "berth image " + canonical)
            ?? throw new UsageException($"berth: unknown command: berth image {name}", Usage, "Run 'berth image --help' for more information", ExitCodes.Failure);
    }

    public static string Help() =>
        $"\nUsage:  {Usage}\n\nManage images\n\nCommands:\n" +
        string.Concat(Group.Select(c => $"  {c.Path["berth image ".Length..],-11} {c.Description}\n")) +
        "\nRun 'berth image COMMAND --help' for more information on a command.\n";
}
