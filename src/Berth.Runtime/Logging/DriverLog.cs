using Berth.Runtime.Containers;

namespace Berth.Runtime.Logging;

/// <summary>Reading a driver's log back (<c>docker logs</c>): its rotated files, oldest first, then the current one, followed as it grows.</summary>
public static class DriverLog
{
    /// <summary>
    /// A follower of the current file whose first read returns the rotated files' records first. The current file is
    /// opened before the rotated ones are read, so a rotation meanwhile repeats records rather than losing them.
    /// </summary>
    public static ContainerLogFollower Open(string path, LogRotation rotation, ILogFormat format)
    {
        var follower = new ContainerLogFollower(path, fromStart: true, format);
        var files = RotatingLogWriter.Files(path, rotation);
        follower.Prepend(files.Take(files.Count - 1).SelectMany(file => Decode(RotatingLogWriter.ReadAll(file), format)));
        return follower;
    }

    /// <summary>Every record in <paramref name="data"/> (a whole file).</summary>
    public static List<LogRecord> Decode(ReadOnlySpan<byte> data, ILogFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var records = new List<LogRecord>();
        while (format.Read(data, out LogRecord? record) is int consumed and > 0)
        {
            if (record is not null)
            {
                records.Add(record);
            }

            data = data[consumed..];
        }

        return records;
    }
}
