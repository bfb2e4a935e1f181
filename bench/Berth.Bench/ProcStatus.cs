using System.Globalization;

namespace Berth.Bench;

/// <summary>Reads a process's resident set size from /proc/PID/status.</summary>
internal static class ProcStatus
{
    public static double RssMb(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return Stats.Round(double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024);
            }
        }

        return double.NaN;
    }

    /// <summary>CPU time (user + system) the process has used so far, in seconds (/proc/PID/stat utime and stime).</summary>
    public static double CpuSeconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");

        // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / (double)ClockTicksPerSecond;
    }

    /// <summary>USER_HZ: the unit of /proc's CPU times, 100 on every Linux architecture Berth runs on.</summary>
    private const int ClockTicksPerSecond = 100;
}
