using Berth.Cli.Client;
using Berth.Cli.Commands;
using Berth.Cli.Commands.Compose;
using Berth.Cli.Parsing;
using Berth.Cli.Terminal;
using Berth.Compose.Model;
using Berth.EndToEndTests.Fixtures;

namespace Berth.EndToEndTests.Compose;

/// <summary>
/// A <c>berth compose</c> subcommand run in-process on a project built in code (the loader is not in this branch), with
/// the error handling of berth's entry point: what it printed and its exit code.
/// </summary>
public sealed record ComposeRun(int ExitCode, string Output, string Error)
{
    public static async Task<ComposeRun> RunAsync(Berthd daemon, ComposeProject project, string[] args, CancellationToken cancellationToken = default)
    {
        var outputText = new StringWriter { NewLine = "\n" };
        var errorText = new StringWriter { NewLine = "\n" };
        var output = TextWriter.Synchronized(outputText);
        var error = TextWriter.Synchronized(errorText);
        using var context = new CommandContext(CliConsole.FromText(output, error, new StringReader("")), new DaemonHost(daemon.Host), _ => null);
        var command = ComposeEngineCommands.Find(new DelegateComposeProjectSource(() => project), args[0])
            ?? throw new ArgumentException("no compose command " + args[0]);
        int code;
        try
        {
            code = await command.RunAsync(context, args[1..], cancellationToken);
        }
        catch (StatusException e)
        {
            await error.WriteLineAsync(e.Message);
            code = e.ExitCode;
        }
        catch (DaemonErrorException e)
        {
            await error.WriteLineAsync("Error response from daemon: " + e.Message);
            code = ExitCodes.Failure;
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync(e.Message);
            code = e.ExitCode;
        }

        return new ComposeRun(code, outputText.ToString(), errorText.ToString());
    }

    public static ComposeRun Run(Berthd daemon, ComposeProject project, params string[] args) => RunAsync(daemon, project, args).GetAwaiter().GetResult();

    public static ComposeRun Checked(Berthd daemon, ComposeProject project, params string[] args)
    {
        var result = Run(daemon, project, args);
        Assert.True(result.ExitCode == 0, $"berth compose {string.Join(' ', args)} exited {result.ExitCode}\n{result.Error}\n{result.Output}\n--- berthd log ---\n{daemon.Log}");
        return result;
    }
}
