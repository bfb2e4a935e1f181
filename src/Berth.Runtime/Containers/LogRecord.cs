namespace Berth.Runtime.Containers;

/// <summary>
/// One record of conmon's k8s-file log, bytes as the container wrote them: a whole line (its newline
/// left out), or with <paramref name="Partial"/> a piece that no newline follows (conmon splits long
/// lines and writes what it read so far, e.g. a shell prompt). <paramref name="UnixNanos"/> keeps
/// conmon's nanoseconds, which Docker's timestamps show.
/// </summary>
public sealed record LogRecord(long UnixNanos, LogStream Stream, bool Partial, byte[] Content)
{
    private const long NanosPerTick = 100;

    public DateTimeOffset Time => DateTimeOffset.UnixEpoch.AddTicks(UnixNanos / NanosPerTick);

    /// <summary>The bytes the container wrote: the content, followed by its newline unless partial.</summary>
    public byte[] Output() => Partial ? Content : [.. Content, (byte)'\n'];
}
