using System.Globalization;

namespace Berth.Network.Ports;

/// <summary>The host ports handed out for <c>-p 80</c> and <c>-P</c>: the kernel's ephemeral range, as Docker does.</summary>
public readonly record struct EphemeralPortRange(ushort Low, ushort High)
{
    private const string RangeFile = "/proc/sys/net/ipv4/ip_local_port_range";

    /// <summary>Linux's default range, used when the file cannot be read.</summary>
    public static EphemeralPortRange Default { get; } = new(32768, 60999);

    /// <summary>The range of the calling thread's namespace (berthd's: the host's).</summary>
    public static EphemeralPortRange FromKernel()
    {
        try
        {
            string[] parts = File.ReadAllText(RangeFile).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return parts.Length == 2
                && ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ushort low)
                && ushort.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ushort high)
                && low > 0 && low <= high
                ? new EphemeralPortRange(low, high)
                : Default;
        }
        catch (IOException)
        {
            return Default;
        }
        catch (UnauthorizedAccessException)
        {
            return Default;
        }
    }
}
