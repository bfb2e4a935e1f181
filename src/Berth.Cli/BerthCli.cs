using Berth.Cli.Client;
using Berth.Cli.Commands;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;

namespace Berth.Cli;

/// <summary>
/// The <c>berth</c> command line: global flags, then <c>network …</c>, <c>image …</c> (and docker's shortcuts <c>images</c>,
/// <c>pull</c>, <c>rmi</c>…), <c>version</c> or <c>info</c>.
/// Every failure ends here and prints as docker's CLI prints it.
/// </summary>
public static class BerthCli
{
    private const string MainUsage = "berth [OPTIONS] COMMAND";
    private const string NetworkUsage = "berth network COMMAND";

    private static readonly IReadOnlyList<FlagSpec> GlobalFlags =
    [
        new("host", 'H', "string", "Daemon socket to connect to (default: $BERTH_HOST, $DOCKER_HOST, unix:///run/berth/berth.sock)"),
        new("help", 'h', null, "Print usage"),
        new("version", 'v', null, "Print version information and quit"),
    ];

    private static readonly CliCommand[] NetworkCommands =
        [new NetworkCreateCommand(), new NetworkInspectCommand(), new NetworkLsCommand(), new NetworkPruneCommand(), new NetworkRmCommand()];

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextWriter output, TextWriter error, TextReader input, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        try
        {
            var (globals, rest) = SplitGlobalFlags(args);
            if (globals.IsSet("version"))
            {
                await output.WriteLineAsync($"Berth version {VersionCommand.ClientVersion}").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (rest.Count == 0 || globals.IsSet("help") || rest[0] == "help")
            {
                await output.WriteAsync(MainHelp()).ConfigureAwait(false);
                return rest.Count == 0 && !globals.IsSet("help") ? ExitCodes.Failure : ExitCodes.Success;
            }

            if (rest[0] == "image" && (rest.Count == 1 || rest[1] is "--help" or "-h"))
            {
                await output.WriteAsync(ImageCommands.Help()).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var command = FindCommand(rest, out var commandArgs);
            if (command is null)
            {
                await output.WriteAsync(NetworkHelp()).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            using var context = new CommandContext(output, error, input, DaemonHost.Resolve(globals.Last("host"), environment));
            return await command.RunAsync(context, commandArgs, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await error.WriteAsync($"{e.Message}\n\nUsage:  {e.Usage}\n\n{e.Hint}\n").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (DaemonErrorException e)
        {
            await error.WriteLineAsync("Error response from daemon: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (StreamErrorException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (DaemonUnavailableException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (TemplateException e)
        {
            await error.WriteLineAsync("template parsing error: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Global flags come before the command name; the first non-flag word starts the command.</summary>
    private static (ParsedArgs Globals, IReadOnlyList<string> Remaining) SplitGlobalFlags(IReadOnlyList<string> args)
    {
        var end = 0;
        while (end < args.Count && args[end].StartsWith('-') && args[end] != "--")
        {
            var takesValue = args[end] is "-H" or "--host";
            end += takesValue ? 2 : 1;
        }

        end = Math.Min(end, args.Count);
        var globals = ArgParser.Parse(args.Take(end).ToList(), GlobalFlags, "berth", MainUsage);
        return (globals, args.Skip(end).SkipWhile(a => a == "--").ToList());
    }

    private static CliCommand? FindCommand(IReadOnlyList<string> rest, out IReadOnlyList<string> commandArgs)
    {
        commandArgs = rest.Skip(1).ToList();
        switch (rest[0])
        {
            case "version":
                return new VersionCommand();
            case "info":
                return new InfoCommand();
            case "network":
                if (rest.Count == 1 || rest[1] is "--help" or "-h")
                {
                    return null;
                }

                var name = rest[1] switch
                {
                    "list" => "ls",
                    "remove" => "rm",
                    var other => other,
                };
                commandArgs = rest.Skip(2).ToList();
                return NetworkCommands.FirstOrDefault(c => c.Path == "berth network " + name)
                    ?? throw new UsageException(
                        $"berth: unknown command: berth network {rest[1]}", NetworkUsage, "Run 'berth network --help' for more information", ExitCodes.Failure);
            case "image":
                commandArgs = rest.Skip(2).ToList();
                return ImageCommands.Find(rest[1]);
            default:
                return ImageCommands.TopLevel(rest[0])
                    ?? throw new UsageException($"berth: unknown command: berth {rest[0]}", MainUsage, "Run 'berth --help' for more information", ExitCodes.Failure);
        }
    }

    private static string MainHelp() =>
        $"\nUsage:  {MainUsage}\n\nA Docker-compatible container engine\n\n" +
        "Commands:\n  image       Manage images\n  images      List images\n  info        Display system-wide information\n  network     Manage networks\n  version     Show the Berth version information\n\n" +
        "Global Options:\n  -H, --host string   Daemon socket to connect to (default: $BERTH_HOST, $DOCKER_HOST,\n" +
        "                      unix:///run/berth/berth.sock)\n  -h, --help          Print usage\n  -v, --version       Print version information and quit\n\n" +
        "Run 'berth COMMAND --help' for more information on a command.\n";

    private static string NetworkHelp() =>
        $"\nUsage:  {NetworkUsage}\n\nManage networks\n\nCommands:\n" +
        string.Concat(NetworkCommands.Select(c => $"  {c.Path["berth network ".Length..],-11} {c.Description}\n")) +
        "\nRun 'berth network COMMAND --help' for more information on a command.\n";
}
