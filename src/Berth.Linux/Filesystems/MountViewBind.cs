namespace Berth.Linux.Filesystems;

/// <summary>A host file or directory bound into a <see cref="PrivateMountView"/> at a path inside its root.</summary>
public sealed record MountViewBind(string Source, string Destination, bool ReadOnly);
