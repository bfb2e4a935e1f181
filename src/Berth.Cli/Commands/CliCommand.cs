using System.Text;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>A leaf command: its flags, how many arguments it takes, and what it does with them.</summary>
public abstract class CliCommand
{
    private static readonly FlagSpec HelpFlag = new("help", null, null, "Print usage");

    /// <summary>"berth network ls".</summary>
    public abstract string Path { get; }

    /// <summary>What follows the path in the usage line: "[OPTIONS] NETWORK [NETWORK...]".</summary>
    public abstract string Arguments { get; }

    public abstract string Description { get; }

    public abstract IReadOnlyList<FlagSpec> Flags { get; }

    public virtual IReadOnlyList<string> Aliases => [];

    protected virtual int MinArguments => 0;

    protected virtual int MaxArguments => 0;

    /// <summary>False for commands that run a command line (<c>run</c>, <c>exec</c>): flags end at the first positional.</summary>
    protected virtual bool InterspersedFlags => true;

    public string Usage => $"{Path} {Arguments}";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var parsed = ArgParser.Parse(args, [.. Flags, HelpFlag], Path, Usage, InterspersedFlags);
        if (parsed.IsSet("help"))
        {
            await context.Out.WriteAsync(Help()).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var count = parsed.Positionals.Count;
        if (count < MinArguments || count > MaxArguments)
        {
            var expectation = (MinArguments, MaxArguments) switch
            {
                (0, 0) => "accepts no arguments",
                var (min, max) when min == max => $"requires {min} argument{(min == 1 ? "" : "s")}",
                var (min, _) => $"requires at least {min} argument{(min == 1 ? "" : "s")}",
            };
            throw new UsageException($"berth: '{Path}' {expectation}", Usage, $"See '{Path} --help' for more information", ExitCodes.Failure);
        }

        return await ExecuteAsync(context, parsed, cancellationToken).ConfigureAwait(false);
    }

    protected abstract Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken);

    public string Help()
    {
        var text = new StringBuilder();
        text.Append("\nUsage:  ").Append(Usage).Append("\n\n").Append(Description).Append('\n');
        if (Aliases.Count > 0)
        {
            text.Append("\nAliases:\n  ").Append(string.Join(", ", Aliases)).Append('\n');
        }

        text.Append("\nOptions:\n");
        var rows = Flags.Append(HelpFlag).Select(f =>
            (Left: (f.Short is { } s ? $"  -{s}, " : "      ") + "--" + f.Long + (f.ValueName is { } v ? " " + v : ""), f.Help)).ToList();
        var width = rows.Max(r => r.Left.Length) + 3;
        foreach (var (left, help) in rows)
        {
            text.Append(left.PadRight(width)).Append(help).Append('\n');
        }

        return text.ToString();
    }
}
