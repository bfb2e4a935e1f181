namespace Berth.Runtime.Images;

/// <summary>What a layer tar entry becomes on disk.</summary>
public enum LayerEntryKind
{
    /// <summary>An ordinary entry, written at its path.</summary>
    Normal,

    /// <summary><c>.wh.NAME</c>: NAME is deleted; overlayfs wants a 0/0 character device at NAME.</summary>
    Whiteout,

    /// <summary><c>.wh..wh..opq</c>: the directory hides everything below it; overlayfs wants <c>trusted.overlay.opaque=y</c>.</summary>
    Opaque,

    /// <summary>The layer root itself (<c>./</c>); nothing to create.</summary>
    Root,
}
