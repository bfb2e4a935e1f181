using System.Formats.Tar;
using Berth.Linux.Filesystems;
using Berth.Linux.Namespaces;

namespace Berth.Runtime.Files;

/// <summary>
/// Writes a directory tree, read by descriptor, as tar entries (GNU format: long names, big ids) straight to a stream:
/// one file open at a time, nothing buffered beyond the copy buffer. Owners, modes and modification times are the
/// files'; a file seen again through another hard link becomes a link entry; sockets are left out (as moby's
/// tarballer does). In <see cref="LayerFormat"/> an overlay upper directory becomes an OCI layer: whiteouts (0/0
/// character devices) become <c>.wh.NAME</c> files and an opaque directory gets a <c>.wh..wh..opq</c> entry.
/// Names that vanish while the tree is walked (a running container) are skipped.
/// </summary>
internal sealed class TreeArchiver(TarWriter writer)
{
    /// <summary>OCI image-spec layer.md: the prefix of a whiteout file, and the opaque directory marker.</summary>
    public const string WhiteoutPrefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";
    private const string OpaqueAttribute = "trusted.overlay.opaque";

    /// <summary>A whiteout file's permissions (go-archive's overlay converter writes 0600).</summary>
    private const UnixFileMode WhiteoutMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly Dictionary<(uint, uint, ulong), string> _hardLinks = [];

    /// <summary>Converts overlayfs whiteouts and opaque directories to OCI layer entries.</summary>
    public bool LayerFormat { get; init; }

    /// <summary>Archive names (no leading <c>/</c>, no trailing one) left out with everything below them.</summary>
    public Func<string, bool>? Skip { get; init; }

    /// <summary>
    /// Archive names of directories written only when an entry below them is (or they are opaque): a directory the
    /// runtime copied up just to make its mount points in.
    /// </summary>
    public Func<string, bool>? OnlyWithContent { get; init; }

    /// <summary>
    /// The ids of a remapped store (<c>--userns-remap</c>): owners are written as the container sees them; a host id
    /// outside the mapping as the kernel's overflow id (<see cref="OverflowId"/>, <c>nobody</c>), which is what it shows the container.
    /// </summary>
    public IdentityMapping? IdMapping { get; init; }

    /// <summary>/proc/sys/kernel/overflowuid's default: what a user namespace shows for an id it does not map.</summary>
    public const uint OverflowId = 65534;

    /// <summary>Entries written so far.</summary>
    public int Entries { get; private set; }

    // Directory entries of OnlyWithContent directories being walked, outermost first, written before the first entry below them.
    private readonly List<TarEntry> _pending = [];

    /// <summary>The directory's own entry under <paramref name="archiveName"/>, then everything in it.</summary>
    public async Task WriteDirectoryAsync(DirectoryHandle directory, string archiveName, CancellationToken cancellationToken)
    {
        await WriteEntryAsync(Entry(TarEntryType.Directory, archiveName + "/", directory.Status()), cancellationToken).ConfigureAwait(false);
        await WriteChildrenAsync(directory, archiveName + "/", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Everything in <paramref name="directory"/>, named <paramref name="prefix"/> + name.</summary>
    public async Task WriteChildrenAsync(DirectoryHandle directory, string prefix, CancellationToken cancellationToken)
    {
        foreach (string name in directory.Names())
        {
            await WriteChildAsync(directory, name, prefix + name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The child <paramref name="name"/> of <paramref name="parent"/> (and below it, for a directory) under <paramref name="archiveName"/>.</summary>
    public async Task WriteChildAsync(DirectoryHandle parent, string name, string archiveName, CancellationToken cancellationToken)
    {
        if (Skip?.Invoke(archiveName) == true || parent.StatusOf(name) is not { } status)
        {
            return;
        }

        switch (status.Type)
        {
            case NodeStatus.Directory:
                using (var directory = parent.OpenDirectory(name))
                {
                    if (directory is null)
                    {
                        return;
                    }

                    var entry = Entry(TarEntryType.Directory, archiveName + "/", status);
                    bool deferred = OnlyWithContent?.Invoke(archiveName) == true;
                    if (deferred)
                    {
                        _pending.Add(entry);
                    }
                    else
                    {
                        await WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                    }

                    if (LayerFormat && parent.Attribute(name, OpaqueAttribute) is [(byte)'y'])
                    {
                        var opaque = Entry(TarEntryType.RegularFile, archiveName + "/" + OpaqueMarker, status);
                        opaque.Mode = (UnixFileMode)(status.Permissions & GoFileMode.Permissions);
                        await WriteEntryAsync(opaque, cancellationToken).ConfigureAwait(false);
                    }

                    await WriteChildrenAsync(directory, archiveName + "/", cancellationToken).ConfigureAwait(false);
                    if (deferred)
                    {
                        // Still pending: nothing below it was written, so it is left out.
                        _pending.Remove(entry);
                    }
                }

                return;
            case NodeStatus.Regular:
                await WriteFileAsync(parent, name, archiveName, status, cancellationToken).ConfigureAwait(false);
                return;
            case NodeStatus.Symlink:
                var link = Entry(TarEntryType.SymbolicLink, archiveName, status);
                link.LinkName = parent.ReadLink(name);
                await WriteEntryAsync(link, cancellationToken).ConfigureAwait(false);
                return;
            case NodeStatus.CharacterDevice when LayerFormat && status.IsWhiteout:
                int slash = archiveName.LastIndexOf('/');
                var whiteout = Entry(TarEntryType.RegularFile, archiveName[..(slash + 1)] + WhiteoutPrefix + archiveName[(slash + 1)..], status);
                whiteout.Mode = WhiteoutMode;
                await WriteEntryAsync(whiteout, cancellationToken).ConfigureAwait(false);
                return;
            case NodeStatus.CharacterDevice or NodeStatus.BlockDevice or NodeStatus.Fifo:
                var node = (GnuTarEntry)Entry(status.Type switch
                {
                    NodeStatus.CharacterDevice => TarEntryType.CharacterDevice,
                    NodeStatus.BlockDevice => TarEntryType.BlockDevice,
                    _ => TarEntryType.Fifo,
                }, archiveName, status);
                if (status.Type != NodeStatus.Fifo)
                {
                    node.DeviceMajor = (int)status.RdevMajor;
                    node.DeviceMinor = (int)status.RdevMinor;
                }

                await WriteEntryAsync(node, cancellationToken).ConfigureAwait(false);
                return;
            default:
                // Sockets cannot be archived (moby's tarballer skips them too).
                return;
        }
    }

    private async Task WriteFileAsync(DirectoryHandle parent, string name, string archiveName, NodeStatus status, CancellationToken cancellationToken)
    {
        var key = (status.DeviceMajor, status.DeviceMinor, status.Inode);
        if (status.Links > 1 && _hardLinks.TryGetValue(key, out string? first))
        {
            var hardLink = Entry(TarEntryType.HardLink, archiveName, status);
            hardLink.LinkName = first;
            await WriteEntryAsync(hardLink, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var handle = parent.OpenRegularFile(name);
        if (handle is null)
        {
            return;
        }

        var entry = Entry(TarEntryType.RegularFile, archiveName, status);
        var file = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        await using (file.ConfigureAwait(false))
        {
            entry.DataStream = new FixedLengthReadStream(file, status.Size);
            await WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        if (status.Links > 1)
        {
            _hardLinks[key] = archiveName;
        }
    }

    private async Task WriteEntryAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        foreach (var directory in _pending)
        {
            await writer.WriteEntryAsync(directory, cancellationToken).ConfigureAwait(false);
            Entries++;
        }

        _pending.Clear();
        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        Entries++;
    }

    private GnuTarEntry Entry(TarEntryType type, string name, NodeStatus status) => new(type, name)
    {
        Mode = (UnixFileMode)status.Permissions,
        Uid = (int)(IdMapping is null ? status.Uid : IdMapping.ToContainerUid(status.Uid) ?? OverflowId),
        Gid = (int)(IdMapping is null ? status.Gid : IdMapping.ToContainerGid(status.Gid) ?? OverflowId),
        ModificationTime = DateTimeOffset.FromUnixTimeSeconds(status.ModifiedSeconds),
    };
}
