using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Containers;

/// <summary>
/// Follows conmon's k8s-file log as it grows: each <see cref="ReadNew"/> returns the records completed
/// since the last call (a line conmon has not finished writing waits for the next call). conmon
/// rotates at <c>--log-size-max</c> by renaming a new, empty file over the log; the follower finishes
/// the file it has open, then continues at the start of the new one. A log that does not exist yet is
/// picked up when it appears.
/// </summary>
public sealed class ContainerLogFollower : IDisposable
{
    private const int ChunkBytes = 64 * 1024;

    private readonly string _path;
    private readonly List<byte> _pendingLine = [];
    private SafeFileHandle? _file;
    private ulong _inode;
    private long _position;

    /// <param name="path">The log file.</param>
    /// <param name="fromStart">Read what the log already holds; false starts at its current end (only new output).</param>
    public ContainerLogFollower(string path, bool fromStart)
    {
        _path = path;
        if (TryOpen() && !fromStart)
        {
            _position = RandomAccess.GetLength(_file!);
        }
    }

    public IReadOnlyList<LogRecord> ReadNew()
    {
        var records = new List<LogRecord>();
        if (_file is null && !TryOpen())
        {
            return records;
        }

        ReadToEnd(records);
        if (InodeOf(_path) is ulong current && current != _inode)
        {
            // Rotated: the old file is complete (conmon writes only the new one now).
            _file!.Dispose();
            _file = null;
            _pendingLine.Clear();
            if (TryOpen())
            {
                ReadToEnd(records);
            }
        }

        return records;
    }

    /// <summary>
    /// Hands what is new to <paramref name="deliver"/> every <paramref name="interval"/> until
    /// <paramref name="isOver"/> held before a read (so the last output goes out too), or
    /// <paramref name="deliver"/> returns false.
    /// </summary>
    public async Task FollowAsync(Func<bool> isOver, TimeSpan interval, Func<IReadOnlyList<LogRecord>, Task<bool>> deliver, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            bool over = isOver();
            if (!await deliver(ReadNew()).ConfigureAwait(false) || over)
            {
                return;
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _file?.Dispose();

    private bool TryOpen()
    {
        try
        {
            _file = File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        _inode = InodeOf(_file) ?? 0;
        _position = 0;
        return true;
    }

    private void ReadToEnd(List<LogRecord> records)
    {
        if (RandomAccess.GetLength(_file!) < _position)
        {
            // Truncated in place: start over.
            _position = 0;
            _pendingLine.Clear();
        }

        byte[] buffer = new byte[ChunkBytes];
        while (true)
        {
            int read = RandomAccess.Read(_file!, buffer, _position);
            if (read == 0)
            {
                return;
            }

            _position += read;
            var span = buffer.AsSpan(0, read);
            while (span.IndexOf((byte)'\n') is int newline and >= 0)
            {
                if (_pendingLine.Count > 0)
                {
                    _pendingLine.AddRange(span[..newline]);
                    records.Add(ContainerLogReader.ParseRecord(_pendingLine.ToArray()));
                    _pendingLine.Clear();
                }
                else if (newline > 0)
                {
                    records.Add(ContainerLogReader.ParseRecord(span[..newline]));
                }

                span = span[(newline + 1)..];
            }

            _pendingLine.AddRange(span);
        }
    }

    private static unsafe ulong? InodeOf(string path)
    {
        byte* stat = stackalloc byte[Libc.StatBufferSize];
        return Libc.Stat(path, stat) == 0 ? *(ulong*)(stat + Libc.StatInodeOffset) : null;
    }

    private static unsafe ulong? InodeOf(SafeFileHandle file)
    {
        byte* stat = stackalloc byte[Libc.StatBufferSize];
        return Libc.Fstat(file, stat) == 0 ? *(ulong*)(stat + Libc.StatInodeOffset) : null;
    }
}
