namespace Berth.Runtime.Logging;

/// <summary>A place in a log file that may be replaced by another of the same name: the file (its inode) and the offset in it.</summary>
public readonly record struct LogPosition(ulong Inode, long Offset);
