using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Core.Errors;

namespace Berth.Runtime.Engine;

/// <summary>
/// <c>docker top</c> as moby does it (daemon/top_unix.go): <c>ps</c> runs on the host with the client's arguments
/// (default <c>-ef</c>) and the rows whose PID is in the container's cgroup are kept; a row with PID <c>-</c> (a thread
/// line of <c>-L</c>/<c>-T</c>) goes with the process before it; the last column keeps its spaces.
/// </summary>
public static partial class ContainerTop
{
    public const string DefaultArgs = "-ef";

    /// <summary>moby refuses <c>KEY=PID…</c> in the arguments except <c>pid=</c> (it would rename the column the rows are matched on).</summary>
    public static void ValidateArgs(string psArgs)
    {
        ArgumentNullException.ThrowIfNull(psArgs);
        foreach (Match match in RenamedColumn().Matches(psArgs))
        {
            if (match.Groups[1].Value != "pid")
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"specifying \"{match.Groups[1].Value}={match.Groups[2].Value}\" is not allowed");
            }
        }
    }

    /// <summary>The titles and the container's rows of a ps output.</summary>
    public static (ImmutableArray<string> Titles, ImmutableArray<ImmutableArray<string>> Processes) Parse(string output, IReadOnlySet<int> pids)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(pids);
        string[] lines = output.Split('\n');
        ImmutableArray<string> titles = [.. Fields(lines[0])];
        int pidIndex = titles.IndexOf("PID");
        if (pidIndex < 0)
        {
            throw new BerthException(ErrorKind.Internal, "Couldn't find PID field in ps output");
        }

        var processes = ImmutableArray.CreateBuilder<ImmutableArray<string>>();
        bool previousKept = false;
        foreach (string line in lines.Skip(1))
        {
            string[] fields = Fields(line);
            if (fields.Length <= pidIndex)
            {
                continue;
            }

            bool keep;
            if (fields[pidIndex] == "-")
            {
                keep = previousKept;
            }
            else if (int.TryParse(fields[pidIndex], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                keep = previousKept = pids.Contains(pid);
            }
            else
            {
                throw new BerthException(ErrorKind.Internal, $"Unexpected pid '{fields[pidIndex]}'");
            }

            if (keep)
            {
                int last = titles.Length - 1;
                processes.Add([.. fields.Take(last), string.Join(' ', fields.Skip(last))]);
            }
        }

        return (titles, processes.ToImmutable());
    }

    private static string[] Fields(string line) => line.Split([' ', '\t', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"\s+([^\s]*)=\s*(PID[^\s]*)")]
    private static partial Regex RenamedColumn();
}
