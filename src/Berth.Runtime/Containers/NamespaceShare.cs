namespace Berth.Runtime.Containers;

/// <summary>
/// Whose namespace of one kind a container's process is in (<c>--pid</c>, <c>--ipc</c>, <c>--uts</c>): a new one of
/// its own, the host's (no entry in the spec), none at all (<c>--ipc none</c>: its own, without /dev/shm), or the
/// one at <see cref="Path"/> (another container's, <c>/proc/PID/ns/KIND</c>).
/// </summary>
public sealed record NamespaceShare(NamespaceShareKind Kind, string? Path = null)
{
    public static readonly NamespaceShare Private = new(NamespaceShareKind.Private);

    public static readonly NamespaceShare Host = new(NamespaceShareKind.Host);

    public static readonly NamespaceShare None = new(NamespaceShareKind.None);

    public static NamespaceShare Join(string path) => new(NamespaceShareKind.Join, path);
}
