namespace Berth.Fuzzing;

/// <summary>A process's resident set, from <c>/proc/PID/status</c> (<c>VmRSS: N kB</c>).</summary>
public static class FuzzRss
{
    public static long OfKb(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line");
    }
}
