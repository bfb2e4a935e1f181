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
}
