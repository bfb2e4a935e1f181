namespace Berth.Runtime.Containers;

/// <summary>One line of container output (partial lines already joined), without its newline.</summary>
public sealed record LogEntry(DateTimeOffset Time, LogStream Stream, string Text);
