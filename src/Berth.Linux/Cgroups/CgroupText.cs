using System.Buffers.Text;

namespace Berth.Linux.Cgroups;

/// <summary>The text formats of cgroup files (kernel Documentation/admin-guide/cgroup-v2.rst "Interface Files"), parsed without allocating.</summary>
internal static class CgroupText
{
    /// <summary>The value of a single-value file (<c>memory.current</c>, <c>pids.max</c>); <c>max</c> (unlimited) is <see cref="ulong.MaxValue"/>.</summary>
    public static ulong Single(ReadOnlySpan<byte> text)
    {
        text = text.Trim((byte)'\n').Trim((byte)' ');
        if (text.SequenceEqual("max"u8))
        {
            return ulong.MaxValue;
        }

        return Utf8Parser.TryParse(text, out ulong value, out _) ? value : 0;
    }

    /// <summary>The value for <paramref name="key"/> in a flat-keyed file (<c>KEY VALUE</c> lines: cpu.stat, memory.events); 0 when absent.</summary>
    public static ulong Keyed(ReadOnlySpan<byte> text, ReadOnlySpan<byte> key)
    {
        foreach (var range in text.Split((byte)'\n'))
        {
            var line = text[range];
            if (line.Length > key.Length && line[key.Length] == (byte)' ' && line.StartsWith(key)
                && Utf8Parser.TryParse(line[(key.Length + 1)..], out ulong value, out _))
            {
                return value;
            }
        }

        return 0;
    }

    /// <summary>Parses <c>MAJ:MIN</c>; false when the text does not start with one.</summary>
    public static bool Device(ReadOnlySpan<byte> text, out ulong major, out ulong minor, out int consumed)
    {
        minor = 0;
        consumed = 0;
        if (!Utf8Parser.TryParse(text, out major, out int a) || a >= text.Length || text[a] != (byte)':'
            || !Utf8Parser.TryParse(text[(a + 1)..], out minor, out int b))
        {
            return false;
        }

        consumed = a + 1 + b;
        return true;
    }
}
