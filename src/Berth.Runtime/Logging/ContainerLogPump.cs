using Berth.Runtime.Containers;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Logging;

/// <summary>
/// Carries a container's output from conmon's k8s-file (the wire, which conmon keeps writing while berthd is down)
/// into its driver's log (json-file, local), record by record, rotating as the driver says. After each batch it
/// writes a <see cref="LogCheckpoint"/>; a rotation writes one before its renames. Opening a pump recovers from
/// whatever a killed berthd left: a rotation finished, a compression redone, the log cut back to the checkpoint, the
/// wire resumed after the last record carried — so each line reaches the log once. Thread-safe; one pump per container.
/// </summary>
public sealed class ContainerLogPump : IDisposable
{
    private readonly object _gate = new();
    private readonly ContainerLogFollower _wire;
    private readonly RotatingLogWriter _log;
    private readonly ILogFormat _format;
    private readonly SafeFileHandle _checkpoint;
    private readonly List<LogRecord> _records = [];
    private readonly List<LogPosition> _ends = [];
    private LogPosition _carried;
    private bool _disposed;

    private ContainerLogPump(ContainerLogFollower wire, RotatingLogWriter log, ILogFormat format, SafeFileHandle checkpoint)
    {
        _wire = wire;
        _log = log;
        _format = format;
        _checkpoint = checkpoint;
        _carried = wire.Position;
    }

    /// <summary>The driver's current log file.</summary>
    public required string LogPath { get; init; }

    /// <param name="wirePath">conmon's k8s-file.</param>
    /// <param name="logPath">The driver's current log file.</param>
    /// <param name="checkpointPath">Where the pump keeps its <see cref="LogCheckpoint"/>.</param>
    public static ContainerLogPump Open(string wirePath, string logPath, string checkpointPath, LogRotation rotation, ILogFormat format)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        var saved = LogCheckpoint.Load(checkpointPath);
        if (saved is { RotateFrom: not 0 } rotating && FileInode.Of(logPath) == rotating.RotateFrom)
        {
            RotatingLogWriter.RotateFiles(logPath, rotation);
        }

        RotatingLogWriter.CompressRotated(logPath, rotation);
        var log = new RotatingLogWriter(logPath, rotation);
        if (saved is { } checkpoint)
        {
            log.TruncateTo(checkpoint.LogSize);
        }

        var wire = saved is { } resume ? new ContainerLogFollower(wirePath, resume.Wire) : new ContainerLogFollower(wirePath, fromStart: true);
        var file = File.OpenHandle(checkpointPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
        return new ContainerLogPump(wire, log, format, file) { LogPath = logPath };
    }

    /// <summary>Carries what conmon wrote since the last call; returns how many records.</summary>
    public int Pump()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return 0;
            }

            _records.Clear();
            _ends.Clear();
            _wire.ReadNew(_records, _ends);
            if (_records.Count == 0)
            {
                return 0;
            }

            for (int i = 0; i < _records.Count; i++)
            {
                if (_log.IsFull)
                {
                    _log.Flush();
                    new LogCheckpoint(_carried, 0, _log.Inode).Save(_checkpoint);
                    _log.Rotate();
                }

                _format.Write(_records[i], _log.Buffer);
                _carried = _ends[i];
            }

            _log.Flush();
            new LogCheckpoint(_carried, _log.Size, 0).Save(_checkpoint);
            return _records.Count;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _wire.Dispose();
                _log.Dispose();
                _checkpoint.Dispose();
            }
        }
    }
}
