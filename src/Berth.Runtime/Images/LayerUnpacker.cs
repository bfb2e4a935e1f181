using System.Formats.Tar;
using System.IO.Compression;
using Berth.Core.Errors;
using Berth.Linux.Interop;
using Berth.Linux.Namespaces;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Images;

/// <summary>
/// Unpacks one layer tar (gzip or plain) into a plain directory tree that can serve as an overlayfs
/// lowerdir: OCI whiteouts become 0/0 character devices, opaque markers the
/// <c>trusted.overlay.opaque=y</c> xattr. No entry may write outside the target: absolute names,
/// <c>..</c> escapes and writes through a symlinked parent are refused. With an <see cref="IdentityMapping"/>
/// (<c>--userns-remap</c>), owners are shifted to the host ids the container's see, and parents the archive does not
/// list are the remapped root's (moby's archive unpack with its root identity).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class LayerUnpacker(ILogger logger, IdentityMapping? idMapping = null)
{
    private const string OpaqueXattr = "trusted.overlay.opaque";
    private static readonly byte[] OpaqueValue = "y"u8.ToArray();

    // gzip member header magic (RFC 1952 section 2.3.1).
    private const byte GzipMagic1 = 0x1f;
    private const byte GzipMagic2 = 0x8b;

    private static readonly bool IsRoot = Libc.Geteuid() == 0;

    /// <summary>Unpacks <paramref name="blob"/> into <paramref name="target"/> without keeping its tar.</summary>
    public Task<LayerUnpackResult> UnpackAsync(Stream blob, string target, CancellationToken cancellationToken = default) =>
        UnpackAsync(blob, target, null, cancellationToken);

    /// <summary>
    /// Unpacks <paramref name="blob"/> (seekable, positioned at its start) into <paramref name="target"/>, which must exist and be
    /// empty; the uncompressed tar (whose sha256 is the diff id) is copied to <paramref name="tarCopy"/> when one is given.
    /// </summary>
    public async Task<LayerUnpackResult> UnpackAsync(Stream blob, string target, Stream? tarCopy, CancellationToken cancellationToken = default)
    {
        Stream source = await IsGzipAsync(blob, cancellationToken).ConfigureAwait(false)
            ? new GZipStream(blob, CompressionMode.Decompress, leaveOpen: true)
            : blob;
        var hashing = new HashingReadStream(source, tarCopy);
        await using (hashing.ConfigureAwait(false))
        {
            var directories = new List<(string Path, DateTimeOffset MTime)>();
            long size = 0;
            int entries = 0;
            var reader = new TarReader(hashing, leaveOpen: true);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    entries++;
                    size += await ApplyAsync(entry, target, directories, cancellationToken).ConfigureAwait(false);
                }
            }

            string diffId = await hashing.FinishAsync(cancellationToken).ConfigureAwait(false);

            // Creating children changes a directory's mtime, so directories get theirs last.
            foreach (var (path, mtime) in directories)
            {
                Directory.SetLastWriteTimeUtc(path, mtime.UtcDateTime);
            }

            ImagesLog.LayerUnpacked(logger, diffId, entries, size);
            return new LayerUnpackResult(diffId, size, entries);
        }
    }

    private static async Task<bool> IsGzipAsync(Stream blob, CancellationToken cancellationToken)
    {
        if (!blob.CanSeek)
        {
            throw new ArgumentException("layer blobs are read from seekable files", nameof(blob));
        }

        byte[] magic = new byte[2];
        int n = await blob.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        blob.Seek(-n, SeekOrigin.Current);
        return n == 2 && magic[0] == GzipMagic1 && magic[1] == GzipMagic2;
    }

    private async Task<long> ApplyAsync(TarEntry entry, string root, List<(string, DateTimeOffset)> directories, CancellationToken cancellationToken)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes)
        {
            return 0;
        }

        var plan = LayerPath.Classify(entry.Name);
        switch (plan.Kind)
        {
            case LayerEntryKind.Root:
                if (entry.EntryType == TarEntryType.Directory)
                {
                    SetOwnerAndMode(root, entry);
                    directories.Add((root, entry.ModificationTime));
                }

                return 0;
            case LayerEntryKind.Opaque:
                string dir = EnsureDirectory(root, plan.Path);
                Check(Libc.Lsetxattr(dir, OpaqueXattr, OpaqueValue, (nuint)OpaqueValue.Length, 0), "mark opaque", plan.Path);
                return 0;
            case LayerEntryKind.Whiteout:
                string hidden = PrepareLeaf(root, plan.Path);
                Check(Libc.Mknod(hidden, Libc.S_IFCHR, Libc.MakeDevice(0, 0)), "create the whiteout for", plan.Path);
                Chown(hidden, entry);
                return 0;
        }

        string path = Path.Join(root, plan.Path);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                EnsureParents(root, plan.Path);
                if (Probe(path) != NodeType.Directory)
                {
                    RemoveExisting(path);
                    Directory.CreateDirectory(path);
                }

                SetOwnerAndMode(path, entry);
                directories.Add((path, entry.ModificationTime));
                return 0;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                PrepareLeaf(root, plan.Path);
                var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    if (entry.DataStream is { } data)
                    {
                        await data.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                    }
                }

                SetOwnerAndMode(path, entry);
                File.SetLastWriteTimeUtc(path, entry.ModificationTime.UtcDateTime);
                return entry.Length;
            case TarEntryType.SymbolicLink:
                PrepareLeaf(root, plan.Path);
                File.CreateSymbolicLink(path, entry.LinkName);
                Chown(path, entry);
                return 0;
            case TarEntryType.HardLink:
                string target = LayerPath.Normalize(entry.LinkName.TrimStart('/'));
                EnsureParents(root, target);
                string targetPath = Path.Join(root, target);
                if (Probe(targetPath) is NodeType.Missing or NodeType.Directory)
                {
                    throw new BerthException(ErrorKind.InvalidArgument,
                        $"layer entry \"{entry.Name}\" is a hard link to \"{entry.LinkName}\", which is not a file earlier in the same layer");
                }

                PrepareLeaf(root, plan.Path);
                Check(Libc.Link(targetPath, path), "hard-link", plan.Path);
                return 0;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                if (!IsRoot && entry.EntryType != TarEntryType.Fifo)
                {
                    ImagesLog.DeviceSkipped(logger, plan.Path);
                    return 0;
                }

                PrepareLeaf(root, plan.Path);
                uint type = entry.EntryType switch
                {
                    TarEntryType.CharacterDevice => Libc.S_IFCHR,
                    TarEntryType.BlockDevice => Libc.S_IFBLK,
                    _ => Libc.S_IFIFO,
                };
                var posix = (PosixTarEntry)entry;
                Check(Libc.Mknod(path, type | (uint)entry.Mode, Libc.MakeDevice((uint)posix.DeviceMajor, (uint)posix.DeviceMinor)), "create the device node", plan.Path);
                SetOwnerAndMode(path, entry);
                return 0;
            default:
                ImagesLog.EntrySkipped(logger, plan.Path, entry.EntryType.ToString());
                return 0;
        }
    }

    /// <summary>Makes sure the parents of <paramref name="relative"/> are real directories and nothing is left at it.</summary>
    private string PrepareLeaf(string root, string relative)
    {
        EnsureParents(root, relative);
        string path = Path.Join(root, relative);
        RemoveExisting(path);
        return path;
    }

    private string EnsureDirectory(string root, string relative)
    {
        if (relative.Length == 0)
        {
            return root;
        }

        EnsureParents(root, relative + "/x");
        return Path.Join(root, relative);
    }

    /// <summary>
    /// Creates missing parents. A parent that is a symlink is refused: writing through it could land
    /// anywhere on the host (the classic layer "symlink escape").
    /// </summary>
    private void EnsureParents(string root, string relative)
    {
        string current = root;
        string[] parts = relative.Split('/');
        for (int i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Join(current, parts[i]);
            switch (Probe(current))
            {
                case NodeType.Directory:
                    continue;
                case NodeType.Symlink:
                    throw new BerthException(ErrorKind.InvalidArgument,
                        $"layer entry \"{relative}\" would be written through the symlink \"{string.Join('/', parts[..(i + 1)])}\"; the archive is unsafe and was not unpacked");
                case NodeType.Other:
                    File.Delete(current);
                    Directory.CreateDirectory(current);
                    continue;
                default:
                    Directory.CreateDirectory(current);
                    if (IsRoot && idMapping is not null)
                    {
                        Check(Libc.Lchown(current, (int)idMapping.RootUid, (int)idMapping.RootGid), "set the owner of", current);
                    }

                    continue;
            }
        }
    }

    private static void RemoveExisting(string path)
    {
        switch (Probe(path))
        {
            case NodeType.Directory:
                Directory.Delete(path, recursive: true);
                break;
            case NodeType.Symlink or NodeType.Other:
                File.Delete(path);
                break;
        }
    }

    private enum NodeType
    {
        Missing,
        Directory,
        Symlink,
        Other,
    }

    private static NodeType Probe(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return NodeType.Symlink;
        }

        if (Directory.Exists(path))
        {
            return NodeType.Directory;
        }

        return info.Exists ? NodeType.Other : NodeType.Missing;
    }

    private void SetOwnerAndMode(string path, TarEntry entry)
    {
        // chown clears set-uid/set-gid bits, so the mode goes on after it.
        Chown(path, entry);
        File.SetUnixFileMode(path, entry.Mode);
    }

    private void Chown(string path, TarEntry entry)
    {
        if (IsRoot)
        {
            int uid = idMapping is null ? entry.Uid : (int)idMapping.ToHostUid((uint)entry.Uid);
            int gid = idMapping is null ? entry.Gid : (int)idMapping.ToHostGid((uint)entry.Gid);
            Check(Libc.Lchown(path, uid, gid), "set the owner of", path);
        }
    }

    private static void Check(int result, string action, string path)
    {
        if (result == 0)
        {
            return;
        }

        Errno errno = Libc.LastErrno();
        var kind = errno is Errno.EPERM or Errno.EACCES ? ErrorKind.Forbidden
            : errno == Errno.EOPNOTSUPP ? ErrorKind.NotSupported
            : ErrorKind.Internal;
        throw new BerthException(kind,
            $"layer unpack: could not {action} \"{path}\": {Libc.Describe(errno)} ({errno}); overlay whiteouts and opaque directories need root and a filesystem with trusted xattrs");
    }
}
