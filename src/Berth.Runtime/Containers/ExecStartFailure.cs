using System.Text.Json;

namespace Berth.Runtime.Containers;

/// <summary>
/// Tells a process that never started from one that ran: runc exits 255 either way, but only a failed start
/// leaves an error in runc's JSON log. The exit code given to a failed start is Docker's (moby
/// <c>translateContainerdStartErr</c>): 127 when the command does not exist, 126 when it cannot be run.
/// runc reports the cause only as text, so — like moby — this is the one place that reads it.
/// </summary>
public static class ExecStartFailure
{
    /// <summary>runc's exit code when it fails itself (<c>fatalWithCode(..., 255)</c> in exec.go).</summary>
    public const int RuncFailed = 255;

    /// <summary>The shell's "command not found", which docker exec reports for a missing executable.</summary>
    public const int CommandNotFound = 127;

    /// <summary>The shell's "command cannot be invoked": any other start failure.</summary>
    public const int CannotInvoke = 126;

    /// <summary>The last error runc logged (level "error" lines of <c>--log-format json</c>), or null.</summary>
    public static string? ReadRuncError(string logPath)
    {
        if (!File.Exists(logPath))
        {
            return null;
        }

        string? error = null;
        foreach (string line in File.ReadLines(logPath))
        {
            try
            {
                using var entry = JsonDocument.Parse(line);
                if (entry.RootElement.TryGetProperty("level", out var level) && level.GetString() == "error"
                    && entry.RootElement.TryGetProperty("msg", out var message))
                {
                    error = message.GetString();
                }
            }
            catch (JsonException)
            {
                // A line runc did not write as JSON (a child's stray output): not an error entry.
            }
        }

        return error;
    }

    public static int ExitCodeFor(string error)
    {
        string lower = error.ToLowerInvariant();
        return lower.Contains("executable file not found", StringComparison.Ordinal) || lower.Contains("no such file or directory", StringComparison.Ordinal)
            ? CommandNotFound
            : CannotInvoke;
    }
}
