using Berth.Cli.Client;
using Berth.Cli.Commands;
using Berth.Cli.Commands.Compose;
using Berth.Cli.Commands.Containers;
using Berth.Cli.Commands.Stack;
using Berth.Cli.Commands.Volumes;
using Berth.Cli.Parsing;
using Berth.Cli.Streams;
using Berth.Cli.Templates;
using Berth.Cli.Terminal;
using Berth.Core.Errors;

namespace Berth.Cli;

/// <summary>
/// The <c>berth</c> command line: global flags, then a container command (<c>run</c>, <c>ps</c>, … and <c>container …</c>),
/// <c>network …</c>, <c>image …</c> (and docker's shortcuts <c>images</c>, <c>pull</c>, <c>rmi</c>…), <c>inspect</c>, <c>version</c> or <c>info</c>.
/// Every failure ends here and prints as docker's CLI prints it.
/// </summary>
public static class BerthCli
{
    private const string MainUsage = "berth [OPTIONS] COMMAND";
    private const string NetworkUsage = "berth network COMMAND";
    private const string ContainerUsage = "berth container COMMAND";

    private static readonly IReadOnlyList<FlagSpec> GlobalFlags =
    [
        new("host", 'H', "string", "Daemon socket to connect to (default: $BERTH_HOST, $DOCKER_HOST, unix:///run/berth/berth.sock)"),
        new("help", 'h', null, "Print usage"),
        new("version", 'v', null, "Print version information and quit"),
    ];

    private static readonly CliCommand[] NetworkCommands =
        [new NetworkConnectCommand(), new NetworkCreateCommand(), new NetworkDisconnectCommand(), new NetworkInspectCommand(), new NetworkLsCommand(), new NetworkPruneCommand(), new NetworkRmCommand()];

    /// <summary><c>berth container NAME</c>, each made with the path it was called by; the top-level shortcuts are the same commands.</summary>
    private static readonly SortedDictionary<string, Func<string, CliCommand>> ContainerCommands = new(StringComparer.Ordinal)
    {
        ["attach"] = path => new AttachCommand(path),
        ["commit"] = path => new CommitCommand(path),
        ["cp"] = path => new CpCommand(path),
        ["create"] = path => new CreateCommand(path),
        ["diff"] = path => new DiffCommand(path),
        ["exec"] = path => new ExecCommand(path),
        ["export"] = path => new ExportCommand(path),
        ["inspect"] = path => new InspectCommand(path, "container"),
        ["kill"] = path => new KillCommand(path),
        ["logs"] = path => new LogsCommand(path),
        ["ls"] = path => new PsCommand(path),
        ["pause"] = path => new PauseCommand(path),
        ["port"] = path => new PortCommand(path),
        ["prune"] = path => new ContainerPruneCommand(path),
        ["restart"] = path => new StopCommand(path, restart: true),
        ["rm"] = path => new RmCommand(path),
        ["run"] = path => new RunCommand(path),
        ["start"] = path => new StartCommand(path),
        ["stats"] = path => new StatsCommand(path),
        ["stop"] = path => new StopCommand(path),
        ["top"] = path => new TopCommand(path),
        ["unpause"] = path => new PauseCommand(path, unpause: true),
        ["update"] = path => new UpdateCommand(path),
        ["wait"] = path => new WaitCommand(path),
    };

    private static readonly string[] TopLevelContainerCommands = 
        ["attach", "commit", "cp", "create", "diff", "exec", "export", "kill", "logs", "pause", "port", "restart", "rm", "run", "start", "stats", "stop", "top", "unpause", "update", "wait"];

    public static Task<int> RunAsync(
        IReadOnlyList<string> args, TextWriter output, TextWriter error, TextReader input, Func<string, string?> environment, CancellationToken cancellationToken = default) =>
        RunAsync(args, CliConsole.FromText(output, error, input), environment, cancellationToken);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        var output = console.Out;
        var error = console.Err;
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

            if (rest[0] == "volume" && (rest.Count == 1 || rest[1] is "--help" or "-h"))
            {
                await output.WriteAsync(VolumeCommands.Help()).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (rest[0] == "stack" && (rest.Count == 1 || rest[1] is "--help" or "-h"))
            {
                await output.WriteAsync(StackCommands.Help()).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (rest[0] == "image" && (rest.Count == 1 || rest[1] is "--help" or "-h"))
            {
                await output.WriteAsync(ImageCommands.Help()).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var command = FindCommand(rest, out var commandArgs);
            if (command is null)
            {
                await output.WriteAsync(rest[0] switch
                {
                    "container" => ContainerHelp(),
                    "compose" => ComposeCommandGroup.Help(),
                    _ => NetworkHelp(),
                }).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            using var context = new CommandContext(console, DaemonHost.Resolve(globals.Last("host"), environment), environment);
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
        catch (StatusException e)
        {
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (e.Message.Length > 0)
            {
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            }

            return e.ExitCode;
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
        catch (InvalidDataException e)
        {
            // A file berth reads that is not what it should be (docker's config.json).
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (BerthException e)
        {
            // Errors berth finds itself, before any request (a compose file's problems, one per line).
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
            case "doctor":
                return new Commands.Diagnostics.DoctorCommand();
            case "topology":
                return new Commands.Diagnostics.TopologyCommand();
            case "login":
                return new LoginCommand();
            case "logout":
                return new LogoutCommand();
            case "ps":
                return new PsCommand("berth ps");
            case "inspect":
                return new InspectCommand("berth inspect");
            case var shortcut when TopLevelContainerCommands.Contains(shortcut):
                return ContainerCommands[shortcut]("berth " + shortcut);
            case "container":
                if (rest.Count == 1 || rest[1] is "--help" or "-h")
                {
                    return null;
                }

                var containerCommand = rest[1] switch
                {
                    "list" or "ps" => "ls",
                    "remove" => "rm",
                    var other => other,
                };
                commandArgs = rest.Skip(2).ToList();
                return ContainerCommands.TryGetValue(containerCommand, out var make)
                    ? make("berth container " + rest[1])
                    : throw new UsageException(
                        $"berth: unknown command: berth container {rest[1]}", ContainerUsage, "Run 'berth container --help' for more information", ExitCodes.Failure);
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
            case "volume":
                commandArgs = rest.Skip(2).ToList();
                return VolumeCommands.Find(rest[1])
                    ?? throw new UsageException(
                        $"berth: unknown command: berth volume {rest[1]}", VolumeCommands.Usage, "Run 'berth volume --help' for more information", ExitCodes.Failure);
            case "image":
                commandArgs = rest.Skip(2).ToList();
                return ImageCommands.Find(rest[1]);
            case "compose":
                return ComposeCommandGroup.Find(rest.Skip(1).ToList(), out commandArgs);
            case "stack":
                commandArgs = rest.Skip(2).ToList();
                return StackCommands.Find(rest[1]);
            default:
                return ImageCommands.TopLevel(rest[0])
                    ?? throw new UsageException($"berth: unknown command: berth {rest[0]}", MainUsage, "Run 'berth --help' for more information", ExitCodes.Failure);
        }
    }

    private static string MainHelp() =>
        $"\nUsage:  {MainUsage}\n\nA Docker-compatible container engine\n\n" +
        "Common Commands:\n" +
        "  run         Create and run a new container from an image\n  exec        Execute a command in a running container\n" +
        "  ps          List containers\n  images      List images\n  pull        Download an image from a registry\n" +
        "  info        Display system-wide information\n  doctor      Diagnose networking and say how to fix what is wrong\n  topology    Show the host's networks and containers as a tree or a drawing\n  version     Show the Berth version information\n\n" +
        "Management Commands:\n  compose     Define and run multi-container applications\n  container   Manage containers\n  image       Manage images\n  network     Manage networks\n  stack       Manage Swarm stacks\n  volume      Manage volumes\n\n" +
        "Commands:\n" + string.Concat(OtherCommands().OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"  {c.Name,-11} {c.Description}\n")) + "\n" +
        "Global Options:\n  -H, --host string   Daemon socket to connect to (default: $BERTH_HOST, $DOCKER_HOST,\n" +
        "                      unix:///run/berth/berth.sock)\n  -h, --help          Print usage\n  -v, --version       Print version information and quit\n\n" +
        "Run 'berth COMMAND --help' for more information on a command.\n";

    /// <summary>The top-level commands past the common ones: container and image shortcuts, and <c>inspect</c>.</summary>
    private static IEnumerable<(string Name, string Description)> OtherCommands() =>
        TopLevelContainerCommands.Where(c => c is not ("run" or "exec")).Select(c => (c, ContainerCommands[c]("berth " + c).Description))
            .Concat(ImageCommands.TopLevelNames.Where(c => c is not ("images" or "pull")).Select(c => (c, ImageCommands.TopLevel(c)!.Description)))
            .Append(("inspect", "Return low-level information on Docker objects"))
            .Append(("login", new LoginCommand().Description))
            .Append(("logout", new LogoutCommand().Description));

    private static string ContainerHelp() =>
        $"\nUsage:  {ContainerUsage}\n\nManage containers\n\nCommands:\n" +
        string.Concat(ContainerCommands.Select(c => $"  {c.Key,-11} {c.Value("berth container " + c.Key).Description}\n")) +
        "\nRun 'berth container COMMAND --help' for more information on a command.\n";

    private static string NetworkHelp() =>
        $"\nUsage:  {NetworkUsage}\n\nManage networks\n\nCommands:\n" +
        string.Concat(NetworkCommands.Select(c => $"  {c.Path["berth network ".Length..],-11} {c.Description}\n")) +
        "\nRun 'berth network COMMAND --help' for more information on a command.\n";
}
