using System.Buffers;
using System.Buffers.Text;
using System.Collections.Immutable;
using System.Text;

namespace Berth.Linux.Cgroups;

/// <summary>
/// Reads one container's cgroup counters again and again (<c>docker stats</c>, once a second): every file it needs is
/// opened once and re-read with one pread into a pooled buffer; <c>memory.stat</c>'s key strings are kept from one
/// sample to the next (the kernel prints the same keys in the same order). v1 or v2 files by <see cref="ContainerCgroup.Unified"/>.
/// One reader per stream; not for concurrent use.
/// </summary>
public sealed partial class CgroupStatsReader : IDisposable
{
    /// <summary>Room for the longest file read (memory.stat, or blkio counters over many devices).</summary>
    private const int BufferBytes = 32 * 1024;

    private readonly List<CgroupFile> _files = [];
    private string[] _statKeys = [];

    private CgroupStatsReader(ContainerCgroup cgroup)
    {
        Cgroup = cgroup;
        if (cgroup.Unified is null)
        {
            OpenV1(cgroup);
        }
        else
        {
            OpenV2(cgroup.Unified);
        }
    }

    public ContainerCgroup Cgroup { get; }

    public static CgroupStatsReader Open(ContainerCgroup cgroup)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        return new CgroupStatsReader(cgroup);
    }

    /// <summary>One sample; null when the cgroup is gone (the container exited and was deleted).</summary>
    public CgroupSample? Read()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            return Cgroup.Unified is null ? ReadV1(buffer) : ReadV2(buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }

    private CgroupFile File(string? directory, string name)
    {
        var file = new CgroupFile(directory, name);
        _files.Add(file);
        return file;
    }

    /// <summary>The file's text in <paramref name="buffer"/>; empty when it is absent.</summary>
    private static ReadOnlySpan<byte> Text(CgroupFile file, byte[] buffer)
    {
        int length = file.Read(buffer.AsSpan(0, BufferBytes));
        return length <= 0 ? [] : buffer.AsSpan(0, length);
    }

    private static ulong Value(CgroupFile file, byte[] buffer) => CgroupText.Single(Text(file, buffer));

    /// <summary><c>KEY VALUE</c> lines in order, with the key strings of the previous sample reused where they match.</summary>
    private ImmutableArray<KeyValuePair<string, ulong>> KeyValues(ReadOnlySpan<byte> text)
    {
        var values = ImmutableArray.CreateBuilder<KeyValuePair<string, ulong>>(Math.Max(_statKeys.Length, 1));
        string[]? keys = null;
        int index = 0;
        foreach (var range in text.Split((byte)'\n'))
        {
            var line = text[range];
            int space = line.IndexOf((byte)' ');
            if (space <= 0 || !Utf8Parser.TryParse(line[(space + 1)..], out ulong value, out _))
            {
                continue;
            }

            var key = line[..space];
            string name;
            if (keys is null && index < _statKeys.Length && Same(_statKeys[index], key))
            {
                name = _statKeys[index];
            }
            else
            {
                keys ??= [.. _statKeys.Take(index)];
                name = Encoding.ASCII.GetString(key);
            }

            values.Add(new KeyValuePair<string, ulong>(name, value));
            index++;
        }

        if (keys is not null || index != _statKeys.Length)
        {
            _statKeys = [.. values.Select(v => v.Key)];
        }

        return values.DrainToImmutable();
    }

    private static bool Same(string known, ReadOnlySpan<byte> key)
    {
        if (known.Length != key.Length)
        {
            return false;
        }

        for (int i = 0; i < key.Length; i++)
        {
            if (known[i] != key[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The op names the kernel prints, as constants (no string per sample).</summary>
    private static string Op(ReadOnlySpan<byte> op) => op switch
    {
        _ when op.SequenceEqual("Read"u8) => "Read",
        _ when op.SequenceEqual("Write"u8) => "Write",
        _ when op.SequenceEqual("Sync"u8) => "Sync",
        _ when op.SequenceEqual("Async"u8) => "Async",
        _ when op.SequenceEqual("Discard"u8) => "Discard",
        _ when op.SequenceEqual("Total"u8) => "Total",
        _ => Encoding.ASCII.GetString(op),
    };
}
