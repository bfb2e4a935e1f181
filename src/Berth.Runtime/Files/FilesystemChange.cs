namespace Berth.Runtime.Files;

/// <summary>One entry of <c>docker diff</c>: an absolute container path and what happened to it.</summary>
public sealed record FilesystemChange(string Path, ChangeKind Kind);
