using System.Buffers;
using System.Buffers.Text;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Cgroups;

/// <summary>
/// The host's CPU time from <c>/proc/stat</c> as moby's <c>getSystemCPUUsage</c> counts it: the first seven fields of
/// the <c>cpu</c> line (user … softirq) in clock ticks turned into nanoseconds, and the number of <c>cpuN</c> lines
/// (online CPUs). The file stays open and is read again from offset 0 each time (procfs regenerates it).
/// </summary>
public sealed class HostCpu : IDisposable
{
    /// <summary>USER_HZ: 100 on every Linux architecture Berth runs on (moby hard-codes it likewise).</summary>
    public const ulong ClockTicksPerSecond = 100;

    private const ulong NanosPerSecond = 1_000_000_000;

    /// <summary>Fields of the cpu line summed: user nice system idle iowait irq softirq (proc(5)), moby's seven.</summary>
    private const int SummedFields = 7;

    /// <summary>Room for the cpu lines of a few hundred CPUs; the rest of the file (interrupt counts) is not needed.</summary>
    private const int ReadBytes = 32 * 1024;

    private readonly SafeFileHandle _file = File.OpenHandle("/proc/stat");

    /// <summary>The host's CPU time in nanoseconds and its online CPUs.</summary>
    public (ulong TotalNanos, uint OnlineCpus) Read()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBytes);
        try
        {
            int length = RandomAccess.Read(_file, buffer.AsSpan(0, ReadBytes), 0);
            return Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses /proc/stat text (its leading cpu lines).</summary>
    public static (ulong TotalNanos, uint OnlineCpus) Parse(ReadOnlySpan<byte> text)
    {
        ulong ticks = 0;
        uint cpus = 0;
        foreach (var line in text.Split((byte)'\n'))
        {
            var current = text[line];
            if (current.Length < 4 || !current.StartsWith("cpu"u8))
            {
                break;
            }

            if (current[3] == (byte)' ')
            {
                var rest = current[3..];
                for (int field = 0; field < SummedFields; field++)
                {
                    rest = rest.TrimStart((byte)' ');
                    if (!Utf8Parser.TryParse(rest, out ulong value, out int consumed))
                    {
                        break;
                    }

                    ticks += value;
                    rest = rest[consumed..];
                }
            }
            else if (char.IsAsciiDigit((char)current[3]))
            {
                cpus++;
            }
        }

        return (ticks * NanosPerSecond / ClockTicksPerSecond, cpus);
    }

    public void Dispose() => _file.Dispose();
}
