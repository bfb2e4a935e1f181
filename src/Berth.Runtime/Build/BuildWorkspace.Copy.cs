using System.Collections.Immutable;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Pipelines;
using Berth.Core.Errors;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Linux.Filesystems;
using Berth.Linux.Namespaces;
using Berth.Runtime.Containers;
using Berth.Runtime.Files;

namespace Berth.Runtime.Build;

public sealed partial class BuildWorkspace
{
    /// <summary>The largest <c>--chmod</c>: permission bits with setuid, setgid and sticky (07777).</summary>
    private const uint MaxChmod = 0xFFF;

    /// <summary>A heredoc source's file mode, rw-r--r-- (BuildKit convert_copy.go: <c>llb.Mkfile(f, 0644, data)</c>).</summary>
    private const UnixFileMode InlineFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// The sources' content checksum (<see cref="ContentChecksum"/>) without copying anything: what the build cache is
    /// looked up by before a step runs. <see cref="CopyIntoSnapshotAsync"/> returns the same value.
    /// </summary>
    public async Task<string> ChecksumAsync(BuildCopySource source, BuildCopySpec copy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(copy);
        var (root, owner) = await Task.Run(source.Open, cancellationToken).ConfigureAwait(false);
        using (owner)
        {
            var sources = SourcesOf(root, copy);
            return await ContentChecksum.ComputeAsync(root, sources, copy, source.PreservesOwners, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>COPY</c>/<c>ADD</c> of local sources into the snapshot with Docker's semantics: a directory's contents are
    /// copied (symlinks in it as symlinks), a file goes to the destination path or, when that is a directory (ends in
    /// <c>/</c> or exists as one), into it under its name; several sources need a directory destination; missing
    /// directories are made 0755 (owned as the copy); files are root's, the <c>--chown</c> owner's, or — from a snapshot
    /// — keep their owners; <c>--chmod</c> sets every copied entry's permission bits; with <c>ADD</c> a plain or gzip tar
    /// is unpacked into the destination directory. Every write is resolved with the snapshot as <c>/</c>
    /// (<c>openat2</c> RESOLVE_IN_ROOT), so neither a symlink in the snapshot nor one in the sources writes outside it.
    /// </summary>
    public async Task<BuildCopyResult> CopyIntoSnapshotAsync(BuildSnapshot snapshot, BuildCopySource source, BuildCopySpec copy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(copy);
        if (ReferenceEquals(source.Snapshot, snapshot))
        {
            throw new BerthException(ErrorKind.InvalidArgument, "a COPY --from cannot copy from the snapshot it copies into; name another stage or image");
        }

        uint? mode = ParseChmod(copy.Chmod);
        var (destination, toDirectory) = DestinationOf(copy);
        await snapshot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (sourceRoot, sourceOwner) = await Task.Run(source.Open, cancellationToken).ConfigureAwait(false);
            using (sourceOwner)
            {
                var sources = SourcesOf(sourceRoot, copy);
                if (sources.Length + copy.Contents.Length > 1 && !toDirectory)
                {
                    throw new BerthException(ErrorKind.InvalidArgument, "When using COPY with more than one source file, the destination must be a directory and end with a /");
                }

                string checksum = await ContentChecksum.ComputeAsync(sourceRoot, sources, copy, source.PreservesOwners, cancellationToken).ConfigureAwait(false);
                using var view = await Task.Run(snapshot.OpenView, cancellationToken).ConfigureAwait(false);
                (uint, uint)? chown = copy.Chown is { Length: > 0 } text ? UserResolver.ResolveOwner(text, view.Root) : null;
                var target = new CopyTarget(view.Root, destination, toDirectory, chown ?? (source.PreservesOwners ? null : (0u, 0u)), chown, mode, runtime.UserNamespace);
                long bytes = 0;
                foreach (var one in sources)
                {
                    bytes += await CopyOneAsync(sourceRoot, one, target, copy.ExtractArchives, cancellationToken).ConfigureAwait(false);
                }

                foreach (var inline in copy.Contents)
                {
                    bytes += await CopyInlineAsync(inline, target, cancellationToken).ConfigureAwait(false);
                }

                return new BuildCopyResult(checksum, bytes);
            }
        }
        finally
        {
            snapshot.Gate.Release();
        }
    }

    /// <summary>
    /// <c>WORKDIR</c>: makes the absolute <paramref name="path"/> and its missing parents in the snapshot, 0755 and root's
    /// whatever the <c>USER</c> (Docker 20.10's <c>ContainerCreateWorkdir</c>); existing directories are left as they are.
    /// </summary>
    public async Task MakeWorkingDirectoryAsync(BuildSnapshot snapshot, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentException.ThrowIfNullOrEmpty(path);
        await snapshot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var view = await Task.Run(snapshot.OpenView, cancellationToken).ConfigureAwait(false);
            try
            {
                view.Root.MakeDirectoriesInRoot(path, HostOwner(runtime.UserNamespace, (0, 0))).Dispose();
            }
            catch (KernelException e) when (e.Errno is Errno.ENOTDIR or Errno.EEXIST)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"mkdir {path}: not a directory: a part of the path is a file in the image; choose another WORKDIR", e);
            }
        }
        finally
        {
            snapshot.Gate.Release();
        }
    }

    private static async Task<long> CopyOneAsync(DirectoryHandle sourceRoot, CopySource source, CopyTarget target, bool extract, CancellationToken cancellationToken)
    {
        var root = target.Root;
        if (extract && source.Status.IsRegular && await AddArchive.IsTarAsync(() => OpenSourceFile(sourceRoot, source), source.Name, cancellationToken).ConfigureAwait(false))
        {
            // moby's classic builder unpacks with the archive's owners; an explicit --chown still applies (BuildKit's rule).
            root.MakeDirectoriesInRoot(target.Path, target.DirectoryOwner).Dispose();
            var tar = await AddArchive.OpenAsync(() => OpenSourceFile(sourceRoot, source), source.Name, cancellationToken).ConfigureAwait(false);
            await using (tar.ConfigureAwait(false))
            {
                using var unpacker = new TreeExtractor(root, target.Path) { Owner = target.Chown, IdMapping = target.IdMapping };
                await unpacker.ExtractAsync(tar, cancellationToken).ConfigureAwait(false);
                return unpacker.Bytes;
            }
        }

        var (directory, name) = source.Status.IsDirectory ? (target.Path, source.Name) : FileDestination(target, source.Name);
        root.MakeDirectoriesInRoot(directory, target.DirectoryOwner).Dispose();
        using var extractor = new TreeExtractor(root, directory) { Owner = target.Owner, Mode = target.Mode, IdMapping = target.IdMapping };
        await ArchiveIntoAsync(
            async (writer, token) =>
            {
                var archiver = new TreeArchiver(writer) { IdMapping = target.IdMapping };
                if (source.Status.IsDirectory)
                {
                    using var children = sourceRoot.OpenDirectoryInRoot(source.Path, followFinal: false);
                    if (children is not null)
                    {
                        await archiver.WriteChildrenAsync(children, "", token).ConfigureAwait(false);
                    }

                    return;
                }

                using var parent = sourceRoot.OpenDirectoryInRoot(ContainerPathText.Parent(source.Path), followFinal: false);
                if (parent is not null)
                {
                    await archiver.WriteChildAsync(parent, ContainerPathText.Base(source.Path), name, token).ConfigureAwait(false);
                }
            },
            extractor,
            cancellationToken).ConfigureAwait(false);
        return extractor.Bytes;
    }

    /// <summary>A heredoc source: one regular file of mode 0644 (or --chmod's) written where a context file of its name would go.</summary>
    private static async Task<long> CopyInlineAsync(BuildInlineFile file, CopyTarget target, CancellationToken cancellationToken)
    {
        var (directory, name) = FileDestination(target, file.Name);
        target.Root.MakeDirectoriesInRoot(directory, target.DirectoryOwner).Dispose();
        using var extractor = new TreeExtractor(target.Root, directory) { Owner = target.Owner, Mode = target.Mode, IdMapping = target.IdMapping };
        byte[] content = file.Bytes();
        await ArchiveIntoAsync(
            async (writer, token) =>
            {
                using var data = new MemoryStream(content, writable: false);
                var entry = new GnuTarEntry(TarEntryType.RegularFile, name) { Mode = InlineFileMode, ModificationTime = DateTimeOffset.UtcNow, DataStream = data };
                await writer.WriteEntryAsync(entry, token).ConfigureAwait(false);
            },
            extractor,
            cancellationToken).ConfigureAwait(false);
        return extractor.Bytes;
    }

    /// <summary>
    /// Where a file copied as <paramref name="name"/> lands: in the destination under its name when that names a
    /// directory (ends in <c>/</c> or is one), else at the destination path itself.
    /// </summary>
    private static (string Directory, string Name) FileDestination(CopyTarget target, string name) =>
        target.ToDirectory || target.Root.StatusInRoot(target.Path, followFinal: true) is { IsDirectory: true }
            ? (target.Path, name)
            : (ContainerPathText.Parent(target.Path), ContainerPathText.Base(target.Path));

    /// <summary>The context's (or snapshot's) sources; none when the copy has only heredoc sources.</summary>
    private static ImmutableArray<CopySource> SourcesOf(DirectoryHandle root, BuildCopySpec copy) =>
        copy.Sources.IsDefaultOrEmpty && !copy.Contents.IsDefaultOrEmpty ? [] : CopySource.Resolve(root, copy.Sources);

    /// <summary>The tar <paramref name="write"/> produces, unpacked by <paramref name="extractor"/> as it is written (a pipe: nothing held whole).</summary>
    private static async Task ArchiveIntoAsync(Func<TarWriter, CancellationToken, Task> write, TreeExtractor extractor, CancellationToken cancellationToken)
    {
        var pipe = new Pipe();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task producing = ProduceAsync(pipe.Writer, write, stop.Token);
        try
        {
            var input = pipe.Reader.AsStream();
            await using (input.ConfigureAwait(false))
            {
                await extractor.ExtractAsync(input, stop.Token).ConfigureAwait(false);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await producing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        await producing.ConfigureAwait(false);
    }

    private static async Task ProduceAsync(PipeWriter output, Func<TarWriter, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        try
        {
            var writer = new TarWriter(output.AsStream(), TarEntryFormat.Gnu, leaveOpen: false);
            await using (writer.ConfigureAwait(false))
            {
                await write(writer, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            await output.CompleteAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenSourceFile(DirectoryHandle root, CopySource source) =>
        root.OpenRegularFileInRoot(source.Path)
            ?? throw new BerthException(ErrorKind.NotFound, $"file not found in build context or excluded by .dockerignore: stat {source.Name}: file does not exist");

    /// <summary>The destination, absolute (moby joins a relative one to the working directory), and whether it names a directory.</summary>
    private static (string Path, bool ToDirectory) DestinationOf(BuildCopySpec copy)
    {
        string written = copy.Destination;
        if (string.IsNullOrEmpty(written))
        {
            throw new BerthException(ErrorKind.InvalidArgument, "a COPY needs a destination");
        }

        bool toDirectory = written.EndsWith('/') || written == "." || written.EndsWith("/.", StringComparison.Ordinal);
        string absolute = written.StartsWith('/') ? written : (copy.WorkingDir.Length == 0 ? "/" : copy.WorkingDir) + "/" + written;
        return (ContainerPathText.Clean(absolute), toDirectory);
    }

    private static uint? ParseChmod(string? chmod)
    {
        if (chmod is null or "")
        {
            return null;
        }

        if (chmod.Length > 4 || chmod.Any(c => c is < '0' or > '7'))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid chmod parameter: \"{chmod}\"; give octal permission bits such as 0755");
        }

        uint mode = Convert.ToUInt32(chmod, 8);
        return mode <= MaxChmod ? mode : throw new BerthException(ErrorKind.InvalidArgument, string.Create(CultureInfo.InvariantCulture, $"invalid chmod parameter: \"{chmod}\""));
    }

    /// <summary>Where and how a copy writes: the snapshot's root, the destination, the owner of what is written (null: as the source has it).</summary>
    private sealed record CopyTarget(DirectoryHandle Root, string Path, bool ToDirectory, (uint Uid, uint Gid)? Owner, (uint Uid, uint Gid)? Chown, uint? Mode, IdentityMapping? IdMapping)
    {
        /// <summary>The host owner of directories the copy makes: <see cref="Owner"/> (root's when none), shifted in a remapped store.</summary>
        public (uint Uid, uint Gid) DirectoryOwner => HostOwner(IdMapping, Owner ?? (0, 0));
    }

    /// <summary>Container ids as the host stores them (<c>--userns-remap</c> shifts them).</summary>
    private static (uint Uid, uint Gid) HostOwner(IdentityMapping? idMapping, (uint Uid, uint Gid) owner) =>
        idMapping is null ? owner : (idMapping.ToHostUid(owner.Uid), idMapping.ToHostGid(owner.Gid));
}
