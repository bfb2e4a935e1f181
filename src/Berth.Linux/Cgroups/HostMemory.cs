using System.Globalization;

namespace Berth.Linux.Cgroups;

/// <summary>The host's memory (<c>/proc/meminfo</c> MemTotal), what Docker shows as the limit of a container without one.</summary>
public static class HostMemory
{
    private static readonly Lazy<ulong> Total = new(() =>
    {
        foreach (string line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return ulong.Parse(fields[1], CultureInfo.InvariantCulture) * 1024; // kB
            }
        }

        return 0;
    });

    public static ulong TotalBytes => Total.Value;
}
