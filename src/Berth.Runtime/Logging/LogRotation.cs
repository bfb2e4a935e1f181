namespace Berth.Runtime.Logging;

/// <summary>
/// How a driver's log file is bounded (moby <c>loggerutils.LogFile</c>): once it holds <see cref="MaxSize"/> bytes the next
/// record starts a new file, the old ones kept as <c>NAME.1</c> (newest) … <c>NAME.(MaxFiles-1)</c>, gzipped
/// (<c>NAME.1.gz</c>) when <see cref="Compress"/>. With one file the full file is replaced by an empty one.
/// </summary>
/// <param name="MaxSize">Bytes per file; null is unbounded (no rotation).</param>
public sealed record LogRotation(long? MaxSize, int MaxFiles, bool Compress)
{
    public static LogRotation Unbounded { get; } = new(null, 1, false);
}
