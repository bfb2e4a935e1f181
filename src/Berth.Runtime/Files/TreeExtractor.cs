using System.Formats.Tar;
using Berth.Core.Errors;
using Berth.Linux;
using Berth.Linux.Filesystems;
using Berth.Linux.Namespaces;

namespace Berth.Runtime.Files;

/// <summary>
/// Unpacks a tar stream into a directory of a container, as moby/go-archive's <c>Untar</c> does inside the
/// container's chroot: every path is resolved with the container's <c>/</c> as the root (<c>openat2</c>
/// RESOLVE_IN_ROOT), so an entry through a symlink lands inside the container whatever the link says; names that
/// climb out of the destination (<c>../../etc/x</c>) and links whose targets do (a relative symlink, a hard link) are
/// refused before anything is written for them. Existing files are replaced, directories merged; with
/// <see cref="NoOverwriteDirNonDir"/> a directory never replaces a file or the reverse. Owners, modes and times come
/// from the headers (or <see cref="Owner"/>); directories get their times last.
/// </summary>
internal sealed class TreeExtractor(DirectoryHandle root, string destination) : IDisposable
{
    private readonly List<(string Path, DateTimeOffset Modified)> _directoryTimes = [];
    private string? _cachedParentPath;
    private DirectoryHandle? _cachedParent;

    /// <summary>moby's <c>noOverwriteDirNonDir</c>.</summary>
    public bool NoOverwriteDirNonDir { get; init; }

    /// <summary>Every entry owned by this uid and gid instead of the header's (<c>copyUIDGID</c> with a container user).</summary>
    public (uint Uid, uint Gid)? Owner { get; init; }

    /// <summary>The ids of a remapped store (<c>--userns-remap</c>): the owner (the header's or <see cref="Owner"/>, container ids) is shifted to the host's.</summary>
    public IdentityMapping? IdMapping { get; init; }

    /// <summary>Every entry but symlinks gets these permission bits instead of the header's (a build's <c>COPY --chmod</c>).</summary>
    public uint? Mode { get; init; }

    public long Bytes { get; private set; }

    public async Task ExtractAsync(Stream tar, CancellationToken cancellationToken)
    {
        var reader = new TarReader(tar, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            try
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    await ApplyAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
            {
                // What the client sent is not a whole tar stream (truncated, empty, another format): its fault, not ours.
                throw new BerthException(ErrorKind.InvalidArgument, $"the archive is not a valid tar stream ({e.Message}); send an uncompressed tar", e);
            }
        }

        // Children change their directory's mtime; the header's time goes on last.
        for (int i = _directoryTimes.Count - 1; i >= 0; i--)
        {
            using var directory = root.OpenDirectoryInRoot(_directoryTimes[i].Path, followFinal: false);
            directory?.SetModified(".", _directoryTimes[i].Modified);
        }
    }

    public void Dispose() => _cachedParent?.Dispose();

    private async Task ApplyAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes)
        {
            return;
        }

        string path = Inside(entry.Name, $"\"{entry.Name}\" is outside of \"{destination}\"");
        if (path == destination)
        {
            // The "." entry: the destination's own metadata is left as it is (go-archive skips an existing ".").
            return;
        }

        string parentPath = ContainerPathText.Parent(path);
        string name = ContainerPathText.Base(path);
        var parent = Parent(parentPath);
        bool isDirectory = entry.EntryType == TarEntryType.Directory;
        if (parent.StatusOf(name) is { } existing)
        {
            if (NoOverwriteDirNonDir && existing.IsDirectory && !isDirectory)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"cannot overwrite directory \"{path}\" with non-directory \"{destination}\"");
            }

            if (NoOverwriteDirNonDir && !existing.IsDirectory && isDirectory)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"cannot overwrite non-directory \"{path}\" with directory \"{destination}\"");
            }

            if (!existing.IsDirectory || !isDirectory)
            {
                Forget(path);
                parent.RemoveTree(name);
            }
        }

        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (parent.StatusOf(name) is null)
                {
                    parent.MakeDirectory(name, (uint)entry.Mode);
                }

                _directoryTimes.Add((path, entry.ModificationTime));
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                using (var handle = parent.CreateFile(name, (uint)entry.Mode))
                {
                    var file = new FileStream(handle, FileAccess.Write, bufferSize: 0);
                    await using (file.ConfigureAwait(false))
                    {
                        if (entry.DataStream is { } data)
                        {
                            await data.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }

                Bytes += entry.Length;
                break;
            case TarEntryType.SymbolicLink:
                // go-archive: the link's target, taken from the link's directory, must stay in the destination.
                string linkDirectory = ContainerPathText.Parent(path);
                if (!entry.LinkName.StartsWith('/'))
                {
                    _ = InsideFrom(linkDirectory, entry.LinkName, $"invalid symlink \"{path}\" -> \"{entry.LinkName}\"");
                }

                parent.MakeSymlink(name, entry.LinkName);
                break;
            case TarEntryType.HardLink:
                string target = Inside(entry.LinkName, $"invalid hardlink \"{path}\" -> \"{entry.LinkName}\"");
                using (var targetParent = root.OpenDirectoryInRoot(ContainerPathText.Parent(target))
                    ?? throw new BerthException(ErrorKind.InvalidArgument, $"hard link \"{entry.Name}\" points to \"{entry.LinkName}\", which is not in the archive before it"))
                {
                    parent.MakeHardLink(name, targetParent, ContainerPathText.Base(target));
                }

                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                uint type = entry.EntryType switch
                {
                    TarEntryType.CharacterDevice => NodeStatus.CharacterDevice,
                    TarEntryType.BlockDevice => NodeStatus.BlockDevice,
                    _ => NodeStatus.Fifo,
                };
                var posix = (PosixTarEntry)entry;
                parent.MakeNode(name, type | (uint)entry.Mode, (uint)posix.DeviceMajor, (uint)posix.DeviceMinor);
                break;
            default:
                // Other entry types (sparse, multi-volume…) carry nothing a container can use; go-archive skips them too.
                return;
        }

        // The owner first: chown clears setuid and setgid, which the mode then sets again.
        var (uid, gid) = Owner ?? ((uint)entry.Uid, (uint)entry.Gid);
        parent.SetOwner(name, IdMapping?.ToHostUid(uid) ?? uid, IdMapping?.ToHostGid(gid) ?? gid);
        if (entry.EntryType != TarEntryType.SymbolicLink)
        {
            parent.SetMode(name, Mode ?? (uint)entry.Mode);
        }

        if (entry.EntryType is not (TarEntryType.Directory or TarEntryType.HardLink))
        {
            parent.SetModified(name, entry.ModificationTime);
        }
    }

    /// <summary>The entry's container path, which must be the destination or below it.</summary>
    private string Inside(string name, string refusal) => InsideFrom(destination, name, refusal);

    private string InsideFrom(string directory, string name, string refusal)
    {
        // Go's filepath.Join(dir, name) keeps ".." that climbs above "/" visible; Clean alone would clamp it.
        int depth = 0;
        foreach (string part in (directory + "/" + name).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            depth += part switch { "." => 0, ".." => -1, _ => 1 };
            if (depth < 0)
            {
                throw new BerthException(ErrorKind.InvalidArgument, refusal);
            }
        }

        string path = ContainerPathText.Clean(directory + "/" + name);
        return path == destination || path.StartsWith(destination == "/" ? "/" : destination + "/", StringComparison.Ordinal)
            ? path
            : throw new BerthException(ErrorKind.InvalidArgument, refusal);
    }

    /// <summary>The entry's directory, made when missing (0755, as go-archive's MkdirAll); the last one is kept open.</summary>
    private DirectoryHandle Parent(string path)
    {
        if (_cachedParentPath == path && _cachedParent is not null)
        {
            return _cachedParent;
        }

        _cachedParent?.Dispose();
        _cachedParent = null;
        _cachedParentPath = null;
        try
        {
            _cachedParent = root.MakeDirectoriesInRoot(path);
        }
        catch (KernelException e) when (e.Errno is Linux.Interop.Errno.EEXIST or Linux.Interop.Errno.ENOTDIR)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"cannot extract into \"{path}\": it is not a directory");
        }

        _cachedParentPath = path;
        return _cachedParent;
    }

    /// <summary>A path about to be removed may be (or hold) the cached directory.</summary>
    private void Forget(string path)
    {
        if (_cachedParentPath is { } cached && (cached == path || cached.StartsWith(path + "/", StringComparison.Ordinal)))
        {
            _cachedParent?.Dispose();
            _cachedParent = null;
            _cachedParentPath = null;
        }
    }
}
