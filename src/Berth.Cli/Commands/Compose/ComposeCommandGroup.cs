using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose [-f FILE]... [-p NAME] [--profile P]... COMMAND</c>. Each subcommand is one line of
/// <see cref="Subcommands"/>: its name and how to make it from the compose-level flags.
/// </summary>
public static class ComposeCommandGroup
{
    public const string Usage = "berth compose [OPTIONS] COMMAND";

    /// <summary>Every subcommand: <c>config</c>, and the engine's (up, down, ps, …) over the loader and these flags.</summary>
    public static readonly SortedDictionary<string, Func<ComposeOptions, CliCommand>> Subcommands = Build();

    /// <summary>The subcommand named in <paramref name="args"/> (what follows <c>compose</c>), or null to print the group's help.</summary>
    public static CliCommand? Find(IReadOnlyList<string> args, out IReadOnlyList<string> commandArgs)
    {
        var parsed = ArgParser.Parse(args, ComposeOptions.Flags, "berth compose", Usage, interspersed: false);
        commandArgs = parsed.Positionals.Skip(1).ToList();
        if (parsed.IsSet("help") || parsed.Positionals.Count == 0)
        {
            return null;
        }

        var name = parsed.Positionals[0];
        return Subcommands.TryGetValue(name, out var make)
            ? make(ComposeOptions.From(parsed))
            : throw new UsageException($"berth: unknown command: berth compose {name}", Usage, "Run 'berth compose --help' for more information", ExitCodes.Failure);
    }

    private static SortedDictionary<string, Func<ComposeOptions, CliCommand>> Build()
    {
        var all = new SortedDictionary<string, Func<ComposeOptions, CliCommand>>(StringComparer.Ordinal)
        {
            ["config"] = options => new ComposeConfigCommand(options),
        };
        foreach (var command in ComposeEngineCommands.Create(new LoaderProjectSource(new ComposeOptions())))
        {
            string name = command.Name;
            all[name] = options => ComposeEngineCommands.Find(new LoaderProjectSource(options), name)!;
        }

        return all;
    }

    public static string Help() =>
        $"\nUsage:  {Usage}\n\nDefine and run multi-container applications\n\nOptions:\n" +
        string.Concat(ComposeOptions.Flags.Select(f =>
            $"  {((f.Short is { } s ? $"-{s}, " : "    ") + "--" + f.Long + (f.ValueName is { } v ? " " + v : "")),-38}{f.Help}\n")) +
        "\nCommands:\n" +
        string.Concat(Subcommands.Select(c => $"  {c.Key,-11} {c.Value(new ComposeOptions()).Description}\n")) +
        "\nRun 'berth compose COMMAND --help' for more information on a command.\n";
}
