using Berth.Cli.Client;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// A container command, named by the path it was reached by (<c>berth ps</c> or <c>berth container ls</c>), so usage lines and
/// errors name what the user typed.
/// </summary>
public abstract class ContainerCommand(string path) : CliCommand
{
    public override string Path { get; } = path;

    /// <summary>
    /// docker's loop over several containers: each name that worked is printed, every error is collected and printed at the end,
    /// and the exit code is 1 if any failed.
    /// </summary>
    protected static async Task<int> ForEachAsync(
        CommandContext context, IEnumerable<string> names, Func<string, Task> action, Func<DaemonErrorException, bool>? ignore = null)
    {
        var errors = new List<string>();
        foreach (var name in names)
        {
            try
            {
                await action(name).ConfigureAwait(false);
                await context.Out.WriteLineAsync(name).ConfigureAwait(false);
            }
            catch (DaemonErrorException e) when (ignore?.Invoke(e) == true)
            {
                await context.Err.WriteLineAsync("Error response from daemon: " + e.Message).ConfigureAwait(false);
            }
            catch (DaemonErrorException e)
            {
                errors.Add("Error response from daemon: " + e.Message);
            }
        }

        foreach (var error in errors)
        {
            await context.Err.WriteLineAsync(error).ConfigureAwait(false);
        }

        return errors.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    protected static string ContainerPath(string name, string suffix = "") => "/containers/" + Uri.EscapeDataString(name) + suffix;
}
