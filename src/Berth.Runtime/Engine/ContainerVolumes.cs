using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Linux.Filesystems;
using Berth.Runtime.Containers;
using Berth.Runtime.Images;
using Berth.Runtime.Volumes;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>
/// Containers and volumes: mounts resolved at create (named volumes made on first use, anonymous ones for
/// <c>-v /path</c> and the image's VOLUMEs, the image's content copied into new empty volumes), bound at
/// every start, anonymous volumes removed with <c>rm -v</c> and <c>--rm</c>. Which containers use a volume is
/// read from the container records, under this service's catalog lock, which a create holds while it makes its
/// volumes and writes its record (<see cref="CreateWithMountsAsync"/>), so a volume cannot be removed while a
/// container that uses it is being made. The catalog is held briefly, never across a start, and after a container's
/// lock when both are (<see cref="ContainerSlots"/>).
/// </summary>
public sealed partial class ContainerVolumes(ContainerRecords records, VolumeStore volumes, ILogger logger) : IContainerVolumes, IAsyncDisposable
{
    private readonly VolumeStore _volumes = volumes;
    private readonly SemaphoreSlim _catalog = new(1, 1);

    /// <summary>The volumes (create, list, inspect); removal and prune go through <see cref="RemoveVolumeAsync"/> and <see cref="PruneVolumesAsync"/>.</summary>
    public VolumeStore Volumes => _volumes;

    /// <summary>Ids of the containers (any state) whose mounts include the volume, oldest first.</summary>
    public IReadOnlyList<string> ContainersUsingVolume(string name) =>
        [.. records.All.Values.Where(c => c.Mounts.Any(m => m.IsVolume && m.Name == name)).OrderBy(c => c.Created).Select(c => c.Id.Value)];

    /// <summary><c>docker rm -v</c>, <c>--rm</c>: a removed container's anonymous volumes go too (unless another container uses one).</summary>
    public async Task RemoveAnonymousAsync(ContainerRecord removed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(removed);
        await _catalog.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var mount in removed.Mounts.Where(m => m.IsVolume && m.Anonymous))
            {
                if (_volumes.Find(mount.Name) is null || ContainersUsingVolume(mount.Name).Count > 0)
                {
                    continue;
                }

                await _volumes.RemoveAsync(mount.Name, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _catalog.Release();
        }
    }

    /// <summary>
    /// <c>DELETE /volumes/NAME</c>: refused while a container uses it, with Docker's message (its ids);
    /// <paramref name="force"/> makes a missing volume no error.
    /// </summary>
    public async Task RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken = default)
    {
        await _catalog.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_volumes.Find(name) is null && force)
            {
                return;
            }

            _volumes.Get(name);
            var users = ContainersUsingVolume(name);
            if (users.Count > 0)
            {
                throw new BerthException(ErrorKind.Conflict, $"remove {name}: volume is in use - [{string.Join(", ", users)}]");
            }

            await _volumes.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _catalog.Release();
        }
    }

    /// <summary>
    /// <c>POST /volumes/prune</c>: every unused local volume without driver options that <paramref name="matches"/>;
    /// returns the names removed and the bytes their files held. One that fails is logged and left.
    /// </summary>
    public async Task<(IReadOnlyList<string> Deleted, long SpaceReclaimed)> PruneVolumesAsync(Func<VolumeRecord, bool> matches, CancellationToken cancellationToken = default)
    {
        await _catalog.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var deleted = new List<string>();
            long reclaimed = 0;
            foreach (var volume in _volumes.List())
            {
                if (volume.Driver != VolumeNames.LocalDriver || volume.Options is { Count: > 0 } || ContainersUsingVolume(volume.Name).Count > 0 || !matches(volume))
                {
                    continue;
                }

                try
                {
                    long size = _volumes.SizeOf(volume.Name);
                    await _volumes.RemoveAsync(volume.Name, cancellationToken).ConfigureAwait(false);
                    deleted.Add(volume.Name);
                    reclaimed += size;
                }
                catch (Exception e) when (e is BerthException or IOException or UnauthorizedAccessException)
                {
                    VolumeRemoveFailed(logger, volume.Name, e.Message);
                }
            }

            return (deleted, reclaimed);
        }
        finally
        {
            _catalog.Release();
        }
    }

    /// <summary>
    /// A create's volumes and record, under the catalog: the mounts made (<see cref="CreateMountsAsync"/>), then
    /// <paramref name="write"/> given them writes the record, so no volume it uses is removed in between.
    /// </summary>
    public async Task<ContainerRecord> CreateWithMountsAsync(ContainerCreateSpec spec, ImageDetails image, Func<ImmutableArray<MountPoint>, Task<ContainerRecord>> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        await _catalog.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await write(await CreateMountsAsync(spec, image, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }
        finally
        {
            _catalog.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _catalog.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// At create, under the catalog: the planned mounts with their volumes made (named ones on first use,
    /// anonymous ones with a generated name), then copy-up into the new empty ones. A failure removes the
    /// anonymous volumes this create made; named ones stay, as Docker's do.
    /// </summary>
    private async Task<ImmutableArray<MountPoint>> CreateMountsAsync(ContainerCreateSpec spec, ImageDetails image, CancellationToken cancellationToken)
    {
        var planned = MountParser.Plan(spec, image.Config.Config?.Volumes?.Keys ?? []);
        var mounts = new List<MountPoint>();
        var copies = new List<(MountSpec Spec, MountPoint Mount)>();
        var made = new List<string>();
        try
        {
            foreach (var requested in planned)
            {
                if (requested.Type == MountSpec.TmpfsType)
                {
                    mounts.Add(new MountPoint
                    {
                        Type = MountSpec.TmpfsType,
                        Source = "",
                        Destination = requested.Target,
                        RW = !requested.ReadOnly,
                        TmpfsOptions = TmpfsData(requested),
                    });
                    continue;
                }

                if (requested.Type == MountSpec.BindType)
                {
                    mounts.Add(new MountPoint
                    {
                        Type = MountSpec.BindType,
                        Source = requested.Source,
                        Destination = requested.Target,
                        Mode = requested.Mode,
                        RW = !requested.ReadOnly,
                        Propagation = requested.Propagation ?? "rprivate",
                        CreateSource = requested.FromBindString || requested.CreateMountpoint,
                    });
                    continue;
                }

                var volume = await _volumes.CreateAsync(requested.Source, requested.VolumeDriver, requested.VolumeOptions, requested.VolumeLabels, cancellationToken).ConfigureAwait(false);
                bool anonymous = requested.Source.Length == 0;
                if (anonymous)
                {
                    made.Add(volume.Name);
                }

                var mount = new MountPoint
                {
                    Type = MountSpec.VolumeType,
                    Name = volume.Name,
                    Source = _volumes.MountpointOf(volume.Name),
                    Destination = requested.Target,
                    Driver = volume.Driver,
                    Mode = requested.Implicit ? "" : requested.Mode.Length == 0 ? "z" : requested.Mode,
                    RW = !requested.ReadOnly,
                    Anonymous = anonymous,
                };
                mounts.Add(mount);
                copies.Add((requested, mount));
            }

            CopyUp(copies, image);
        }
        catch
        {
            foreach (string name in made)
            {
                await _volumes.RemoveAsync(name, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        // Parents before children, as Docker sorts them: /data before /data/logs.
        return [.. mounts.OrderBy(m => m.Destination.Count(c => c == '/')).ThenBy(m => m.Destination, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Docker's copy-up: the image's directory at each volume's destination goes into the volume when the
    /// volume is empty (and the mount did not say nocopy). An image VOLUME over a file is refused, as Docker does.
    /// </summary>
    private void CopyUp(List<(MountSpec Spec, MountPoint Mount)> volumes, ImageDetails image)
    {
        if (volumes.Count == 0 || image.LayerDirectories.Count == 0)
        {
            return;
        }

        using var view = ImageView.Mount(_volumes.Root, [.. image.LayerDirectories.Reverse()]);
        foreach (var (spec, mount) in volumes)
        {
            string inImage = ScopedPath.Resolve(view.Root, mount.Destination);
            var status = NodeStatus.Of(inImage);
            if (spec.Implicit && status is { } found && found.Type != NodeStatus.Directory)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"cannot mount volume over existing file, file exists {mount.Destination} in the image");
            }

            if (!spec.NoCopy && status is { Type: NodeStatus.Directory } && VolumeCopier.CopyIfEmpty(inImage, mount.Source))
            {
                VolumeCopiedUp(logger, mount.Destination, mount.Name);
            }
        }
    }

    /// <summary>What is bind-mounted at start: each volume's directory, each bind's host path (a <c>-v</c> one made when missing).</summary>
    public ImmutableArray<BindMount> BindsOf(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Mounts.IsEmpty)
        {
            // A record from before volumes: its -v binds as they were handled then.
            return [.. record.Spec.Binds.Select(BindMountSource.Prepare)];
        }

        return [.. record.Mounts.Where(mount => !mount.IsTmpfs).Select(mount =>
        {
            if (mount.IsVolume)
            {
                _volumes.Get(mount.Name);
            }
            else if (mount.CreateSource && !Path.Exists(mount.Source))
            {
                // moby's MkdirAllAndChownNew with the root identity: under --userns-remap the remapped root's.
                Directory.CreateDirectory(mount.Source);
                if (_volumes.IdMapping is { } idMapping)
                {
                    Users.RemappedOwner.GiveToRoot(idMapping, mount.Source);
                }
            }

            return new BindMount(mount.Source, mount.Destination, !mount.RW);
        })];
    }

    /// <summary>A <c>--mount type=tmpfs</c>'s mount data, as moby's <c>ConvertTmpfsOptions</c> writes it: <c>size=</c> and an octal <c>mode=</c>, <c>ro</c>.</summary>
    private static string TmpfsData(MountSpec mount)
    {
        var options = new List<string>();
        if (mount.TmpfsSize > 0)
        {
            options.Add("size=" + mount.TmpfsSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (mount.TmpfsMode != 0)
        {
            options.Add("mode=" + Convert.ToString(mount.TmpfsMode, 8));
        }

        if (mount.ReadOnly)
        {
            options.Add("ro");
        }

        return string.Join(',', options);
    }

    [LoggerMessage(EventId = 5340, Level = LogLevel.Debug, Message = "copied the image's {Path} into volume {Name}")]
    private static partial void VolumeCopiedUp(ILogger logger, string path, string name);

    [LoggerMessage(EventId = 5341, Level = LogLevel.Warning, Message = "prune: removing volume {Name} failed: {Message}")]
    private static partial void VolumeRemoveFailed(ILogger logger, string name, string message);
}
