namespace Berth.Cli.Commands.Volumes;

/// <summary><c>berth volume COMMAND</c>: the commands, their aliases, and the group's help.</summary>
public static class VolumeCommands
{
    public const string Usage = "berth volume COMMAND";

    private static readonly CliCommand[] Commands =
        [new VolumeCreateCommand(), new VolumeInspectCommand(), new VolumeLsCommand(), new VolumePruneCommand(), new VolumeRmCommand()];

    /// <summary>The command for <c>berth volume NAME</c> (<c>list</c> and <c>remove</c> are aliases); null for an unknown one.</summary>
    public static CliCommand? Find(string name)
    {
        string canonical = name switch
        {
            "list" => "ls",
            "remove" => "rm",
            var other => other,
        };
        return Commands.FirstOrDefault(c => c.Path == "berth volume " + canonical);
    }

    public static string Help() =>
        $"\nUsage:  {Usage}\n\nManage volumes\n\nCommands:\n" +
        string.Concat(Commands.Select(c => $"  {c.Path["berth volume ".Length..],-11} {c.Description}\n")) +
        "\nRun 'berth volume COMMAND --help' for more information on a command.\n";
}
