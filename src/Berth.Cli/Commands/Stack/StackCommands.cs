using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Stack;

/// <summary><c>berth stack COMMAND</c>: deploy (up), ls (list), ps, rm (remove, down), services.</summary>
public static class StackCommands
{
    public const string Usage = "berth stack [OPTIONS] COMMAND";

    private static readonly CliCommand[] Commands =
        [new StackDeployCommand(), new StackLsCommand(), new StackPsCommand(), new StackRmCommand(), new StackServicesCommand()];

    /// <summary>The subcommand <paramref name="name"/> (or one of its aliases).</summary>
    public static CliCommand Find(string name) =>
        Commands.FirstOrDefault(c => c.Path == "berth stack " + name || c.Aliases.Contains("berth stack " + name))
        ?? throw new UsageException($"berth: unknown command: berth stack {name}", Usage, "Run 'berth stack --help' for more information", ExitCodes.Failure);

    public static string Help() =>
        $"\nUsage:  {Usage}\n\nManage Swarm stacks\n\nCommands:\n" +
        string.Concat(Commands.Select(c => $"  {c.Path["berth stack ".Length..],-11} {c.Description}\n")) +
        "\nRun 'berth stack COMMAND --help' for more information on a command.\n";
}
