using Berth.Runtime.Logging;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Containers;

/// <summary>
/// Follows a log file as it grows: each <see cref="ReadNew()"/> returns the records completed since the last call (a
/// record not yet written whole waits for the next call). The file may be replaced by a new one of the same name
/// (conmon at <c>--log-size-max</c>, a driver's rotation): the follower finishes the file it has open, then continues at
/// the start of the new one; a file truncated in place is read again from its start. A log that does not exist yet
/// is picked up when it appears. The format is conmon's k8s-file unless told (<see cref="ILogFormat"/>).
/// </summary>
public sealed class ContainerLogFollower : IDisposable
{
    private const int ChunkBytes = 64 * 1024;

    private readonly string _path;
    private readonly ILogFormat _format;
    private List<LogRecord>? _history;
    private byte[] _pending = new byte[ChunkBytes];
    private int _pendingCount;
    private SafeFileHandle? _file;
    private ulong _inode;
    private long _position;

    /// <param name="path">The log file.</param>
    /// <param name="fromStart">Read what the log already holds; false starts at its current end (only new output).</param>
    /// <param name="format">How records are laid out; null is conmon's k8s-file.</param>
    public ContainerLogFollower(string path, bool fromStart, ILogFormat? format = null)
    {
        _path = path;
        _format = format ?? K8sFileFormat.Instance;
        if (TryOpen() && !fromStart)
        {
            _position = RandomAccess.GetLength(_file!);
        }
    }

    /// <summary>Resumes at <paramref name="start"/> when that file is still the log; at the start of the log when it was replaced.</summary>
    public ContainerLogFollower(string path, LogPosition start, ILogFormat? format = null)
    {
        _path = path;
        _format = format ?? K8sFileFormat.Instance;
        if (TryOpen() && _inode == start.Inode && start.Offset <= RandomAccess.GetLength(_file!))
        {
            _position = start.Offset;
        }
    }

    /// <summary>The end of the last record read (the next read starts there).</summary>
    public LogPosition Position => new(_inode, _position - _pendingCount);

    /// <summary>Records the first <see cref="ReadNew()"/> returns before the file's (a driver's rotated files).</summary>
    internal void Prepend(IEnumerable<LogRecord> history) => _history = [.. history];

    public IReadOnlyList<LogRecord> ReadNew()
    {
        var records = new List<LogRecord>();
        ReadNew(records, null);
        return records;
    }

    /// <summary>Adds the new records to <paramref name="records"/> and, when given, the position after each to <paramref name="ends"/>.</summary>
    public void ReadNew(List<LogRecord> records, List<LogPosition>? ends)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (_history is { } history)
        {
            records.AddRange(history);
            ends?.AddRange(history.Select(_ => default(LogPosition)));
            _history = null;
        }

        if (_file is null && !TryOpen())
        {
            return;
        }

        ReadToEnd(records, ends);
        if (FileInode.Of(_path) is ulong current && current != _inode)
        {
            // Replaced: the old file is complete (its writer writes only the new one now).
            _file!.Dispose();
            _file = null;
            _pendingCount = 0;
            if (TryOpen())
            {
                ReadToEnd(records, ends);
            }
        }
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

        _inode = FileInode.Of(_file) ?? 0;
        _position = 0;
        _pendingCount = 0;
        return true;
    }

    private void ReadToEnd(List<LogRecord> records, List<LogPosition>? ends)
    {
        if (RandomAccess.GetLength(_file!) < _position)
        {
            // Truncated in place: start over.
            _position = 0;
            _pendingCount = 0;
        }

        while (true)
        {
            if (_pending.Length - _pendingCount < ChunkBytes / 2)
            {
                // A record longer than what is buffered: room for it to complete.
                Array.Resize(ref _pending, _pending.Length * 2);
            }

            int read = RandomAccess.Read(_file!, _pending.AsSpan(_pendingCount), _position);
            if (read == 0)
            {
                return;
            }

            _position += read;
            _pendingCount += read;
            int offset = 0;
            while (_format.Read(_pending.AsSpan(offset, _pendingCount - offset), out LogRecord? record) is int consumed and > 0)
            {
                offset += consumed;
                if (record is not null)
                {
                    records.Add(record);
                    ends?.Add(new LogPosition(_inode, _position - (_pendingCount - offset)));
                }
            }

            _pending.AsSpan(offset, _pendingCount - offset).CopyTo(_pending);
            _pendingCount -= offset;
        }
    }
}
