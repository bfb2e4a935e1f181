using System.Diagnostics;
using Berth.Core.Errors;

namespace Berth.Linux.Processes;

/// <summary>
/// A system tool berthd runs as a child for what a multithreaded .NET process cannot do itself or should not redo
/// (util-linux <c>unshare</c> making a user namespace; shadow's <c>useradd</c>, <c>usermod</c> editing /etc/passwd
/// under its lock): arguments passed as a list, never through a shell; stderr captured for the error.
/// </summary>
internal static class HelperProcess
{
    /// <summary>Starts <paramref name="tool"/>; one that is not installed is Unavailable, with <paramref name="remedy"/>.</summary>
    public static Process Start(string tool, IEnumerable<string> args, string remedy)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            return Process.Start(start) ?? throw new BerthException(ErrorKind.Unavailable, $"cannot run {tool}; {remedy}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BerthException(ErrorKind.Unavailable, $"cannot run {tool} ({e.Message}); {remedy}");
        }
    }

    /// <summary>Runs <paramref name="tool"/> to its end; a failure (or no end within <paramref name="timeout"/>) is Unavailable with its stderr.</summary>
    public static void Run(string tool, IReadOnlyList<string> args, string remedy, TimeSpan timeout)
    {
        using Process process = Start(tool, args, remedy);
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(timeout))
        {
            process.Kill();
            throw new BerthException(ErrorKind.Unavailable, $"{tool} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s");
        }

        if (process.ExitCode != 0)
        {
            throw new BerthException(ErrorKind.Unavailable, $"{tool} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Trim()}");
        }
    }
}
