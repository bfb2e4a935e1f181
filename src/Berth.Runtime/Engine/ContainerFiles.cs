using System.Formats.Tar;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Core.Concurrency;
using Berth.Linux.Filesystems;
using Berth.Linux.Namespaces;
using Berth.Runtime.Containers;
using Berth.Runtime.Files;
using Berth.Runtime.Images;

namespace Berth.Runtime.Engine;

/// <summary>
/// <c>docker cp</c>, <c>diff</c>, <c>export</c> and <c>commit</c>. Copies work in a <see cref="PrivateMountView"/> of the
/// container (its root filesystem, volumes and binds, mounted in a namespace of their own, never on the host), every
/// path resolved by <c>openat2</c> inside that root, so neither <c>..</c> nor a symlink in the container or in an
/// archive reaches the host. Diff and commit read the writable layer beside the image's layers, by descriptor.
/// The container's lock is held for the whole operation (a start never races an overlay mounted for a copy).
/// </summary>
public sealed partial class ContainerFiles(ContainerRecords records, ContainerSlots slots, ContainerDirectories directories, ImageStore images, ContainerEvents events, IContainerRuntime? runtime = null) : IContainerFiles
{
    public async Task<PathStat> StatAsync(string idOrName, string path, CancellationToken cancellationToken = default)
    {
        await using var session = await OpenAsync(idOrName, withMounts: true, cancellationToken).ConfigureAwait(false);
        return Stat(session, ContainerPathText.CleanPreservingTrailer(path), path, idOrName);
    }

    public async Task<IContainerArchive> ArchiveAsync(string idOrName, string path, CancellationToken cancellationToken = default)
    {
        var session = await OpenAsync(idOrName, withMounts: true, cancellationToken).ConfigureAwait(false);
        try
        {
            string absolute = ContainerPathText.CleanPreservingTrailer(path);
            var stat = Stat(session, absolute, path, idOrName);
            events.Container(session.Record, "archive-path");
            return new PathArchive(session, absolute, stat, runtime?.UserNamespace);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task ExtractAsync(string idOrName, string path, Stream tar, bool noOverwriteDirNonDir, bool copyUidGid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tar);
        await using var session = await OpenAsync(idOrName, withMounts: true, cancellationToken).ConfigureAwait(false);
        var root = session.View!.Root;

        // moby: every symlink on the destination followed (the last one too), inside the container.
        string resolved = ScopedLinkResolver.Resolve(ContainerPathText.Clean(path), p => root.StatusInRoot(p, followFinal: false) is { IsSymlink: true } ? root.ReadLinkInRoot(p) : null);
        var status = root.StatusInRoot(resolved, followFinal: false) ?? throw FileNotFound(path, idOrName);
        if (!status.IsDirectory)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "extraction point is not a directory");
        }

        CheckWritable(session.Record, resolved);
        (uint, uint)? owner = null;
        if (copyUidGid && EffectiveUser(session.Record) is { Length: > 0 } user)
        {
            var resolvedUser = UserResolver.Resolve(user, "/proc/self/fd/" + root.Fd.ToString(System.Globalization.CultureInfo.InvariantCulture));
            owner = (resolvedUser.Uid, resolvedUser.Gid);
        }

        using (var extractor = new TreeExtractor(root, resolved) { NoOverwriteDirNonDir = noOverwriteDirNonDir, Owner = owner, IdMapping = runtime?.UserNamespace })
        {
            await extractor.ExtractAsync(tar, cancellationToken).ConfigureAwait(false);
        }

        events.Container(session.Record, "extract-to-dir");
    }

    public async Task<IReadOnlyList<FilesystemChange>> ChangesAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var record = records.Find(idOrName);
        using (await slots.LockAsync(record.Id, cancellationToken).ConfigureAwait(false))
        {
            record = records.Get(record.Id);
            string upper = directories.PathsOf(record.Id).Upper;
            if (!Directory.Exists(upper))
            {
                return [];
            }

            using var upperHandle = DirectoryHandle.Open(upper);
            var lowers = OpenLowers(record);
            try
            {
                return LayerChanges.Of(upperHandle, lowers);
            }
            finally
            {
                foreach (var lower in lowers)
                {
                    lower.Dispose();
                }
            }
        }
    }

    public async Task<IContainerArchive> ExportAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var session = await OpenAsync(idOrName, withMounts: false, cancellationToken).ConfigureAwait(false);
        events.Container(session.Record, "export");
        return new RootArchive(session, runtime?.UserNamespace);
    }

    /// <summary>moby's <c>containerFileNotFound</c> (404), naming the path and the container as the client wrote them.</summary>
    internal static BerthException FileNotFound(string path, string container) =>
        new(ErrorKind.NotFound, $"Could not find the file {path} in container {container}");

    private static PathStat Stat(ContainerSession session, string absolute, string original, string container)
    {
        var root = session.View!.Root;
        var status = root.StatusInRoot(absolute, followFinal: false) ?? throw FileNotFound(original, container);
        string linkTarget = status.IsSymlink
            ? ScopedLinkResolver.Resolve(absolute, p => root.StatusInRoot(p, followFinal: false) is { IsSymlink: true } ? root.ReadLinkInRoot(p) : null)
            : "";
        return new PathStat(ContainerPathText.Base(absolute), status.Size, GoFileMode.FromUnix(status.Mode), status.Modified, linkTarget);
    }

    /// <summary>moby <c>checkWritablePath</c>: a read-only volume or bind, else a read-only root filesystem, refuses the copy (400).</summary>
    private static void CheckWritable(ContainerRecord record, string path)
    {
        var mount = record.Mounts
            .Where(m => path == m.Destination.TrimEnd('/') || path.StartsWith(m.Destination.TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Destination.Length)
            .FirstOrDefault();
        if (mount is not null)
        {
            if (!mount.RW)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "mounted volume is marked read-only");
            }

            return;
        }

        if (record.Spec.ReadonlyRootfs)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "container rootfs is marked read-only");
        }
    }

    private string EffectiveUser(ContainerRecord record) =>
        record.Spec.User ?? images.Inspect(record.ImageId).Config.Config?.User ?? "";

    /// <summary>The image's layer directories, top first, for looking names up below the writable layer.</summary>
    private List<DirectoryHandle> OpenLowers(ContainerRecord record)
    {
        var lowers = new List<DirectoryHandle>();
        foreach (string layer in images.Inspect(record.ImageId).LayerDirectories.Reverse())
        {
            lowers.Add(DirectoryHandle.Open(layer));
        }

        return lowers;
    }

    /// <summary>The container locked and its files mounted in a private view (with its volumes and binds when <paramref name="withMounts"/>).</summary>
    private async Task<ContainerSession> OpenAsync(string idOrName, bool withMounts, CancellationToken cancellationToken)
    {
        var id = records.Find(idOrName).Id;
        var held = await slots.LockAsync(id, cancellationToken).ConfigureAwait(false);
        try
        {
            var record = records.Get(id);
            return new ContainerSession(record, held, await Task.Run(() => MountView(record, withMounts), cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    private PrivateMountView MountView(ContainerRecord record, bool withMounts)
    {
        var paths = directories.PathsOf(record.Id);
        string view = directories.ViewOf(record.Id);
        Directory.CreateDirectory(view);
        var binds = new List<MountViewBind>();
        if (withMounts)
        {
            binds.AddRange(record.Mounts.Where(m => !m.IsTmpfs && (File.Exists(m.Source) || Directory.Exists(m.Source))).Select(m => new MountViewBind(m.Source, m.Destination, !m.RW)));

            // Berth's own files, as the container sees them, once a run has written them.
            foreach (var (source, destination) in new[] { (paths.Hosts, "/etc/hosts"), (paths.Hostname, "/etc/hostname"), (paths.ResolvConf, "/etc/resolv.conf") })
            {
                if (File.Exists(source))
                {
                    binds.Add(new MountViewBind(source, destination, ReadOnly: false));
                }
            }
        }

        // Running (or exited, not yet restarted): the overlay is mounted on the bundle's rootfs already and must not be
        // mounted twice over one upper directory; otherwise (created, or after a reboot) the view mounts its own.
        if (RootFilesystem.IsMounted(paths))
        {
            return PrivateMountView.Create(view, paths.Rootfs, null, binds);
        }

        var layers = images.Inspect(record.ImageId).LayerDirectories.Reverse().ToList();
        return PrivateMountView.Create(view, null, RootFilesystem.Options(paths, layers), binds);
    }

    /// <summary>A locked container and its mounted view, released together.</summary>
    private sealed class ContainerSession(ContainerRecord record, KeyedLock<ContainerId>.Releaser held, PrivateMountView view) : IAsyncDisposable
    {
        public ContainerRecord Record => record;

        public PrivateMountView? View { get; private set; } = view;

        public ValueTask DisposeAsync()
        {
            View?.Dispose();
            View = null;
            held.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary><c>docker cp</c>'s archive (moby <c>containerArchivePath</c>): a directory's contents under its base name, anything else alone.</summary>
    private sealed class PathArchive(ContainerSession session, string absolute, PathStat stat, IdentityMapping? idMapping) : IContainerArchive
    {
        public PathStat? Stat => stat;

        public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken = default)
        {
            var root = session.View!.Root;
            var writer = new TarWriter(destination, TarEntryFormat.Gnu, leaveOpen: true);
            await using (writer.ConfigureAwait(false))
            {
                var archiver = new TreeArchiver(writer) { IdMapping = idMapping };
                string name = ContainerPathText.Base(absolute) is "/" ? "." : ContainerPathText.Base(absolute);
                if (stat.IsDirectory)
                {
                    using var directory = root.OpenDirectoryInRoot(absolute, followFinal: false) ?? throw FileNotFound(absolute, session.Record.Name);
                    await archiver.WriteDirectoryAsync(directory, name, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    using var parent = root.OpenDirectoryInRoot(ContainerPathText.Parent(absolute)) ?? throw FileNotFound(absolute, session.Record.Name);
                    await archiver.WriteChildAsync(parent, ContainerPathText.Base(absolute), name, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        public ValueTask DisposeAsync() => session.DisposeAsync();
    }

    /// <summary><c>docker export</c>: every name under <c>/</c>, relative (moby tars the root filesystem with no source directory entry).</summary>
    private sealed class RootArchive(ContainerSession session, IdentityMapping? idMapping) : IContainerArchive
    {
        public PathStat? Stat => null;

        public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken = default)
        {
            var writer = new TarWriter(destination, TarEntryFormat.Gnu, leaveOpen: true);
            await using (writer.ConfigureAwait(false))
            {
                await new TreeArchiver(writer) { IdMapping = idMapping }.WriteChildrenAsync(session.View!.Root, "", cancellationToken).ConfigureAwait(false);
            }
        }

        public ValueTask DisposeAsync() => session.DisposeAsync();
    }
}
