using System.Collections.Immutable;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Linux.Namespaces;
using Berth.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.Volumes;

/// <summary>
/// Docker's local volume driver: a volume is a directory <c>&lt;root&gt;/&lt;name&gt;/_data</c> and a record
/// under <c>volumes/&lt;name&gt;</c> in the state store. The record is written (phase Creating) before the
/// directory is made and marked Removing before the directory goes; <see cref="RestoreAsync"/> finishes
/// what a crash interrupted. Which containers use a volume is not kept here: the container layer derives
/// it from its own records and refuses removals (see <c>Engine/ContainerVolumes</c>).
/// </summary>
public sealed partial class VolumeStore : IDisposable
{
    private const string Prefix = "volumes/";
    private const string DataDirectoryName = "_data";

    /// <summary>Options of Docker's local driver that mount something (tmpfs, NFS, a device): Berth keeps volumes as plain directories only.</summary>
    private static readonly ImmutableArray<string> MountOptions = ["type", "device", "o", "size"];

    private static readonly UnixFileMode DataMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly IStateStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private ImmutableSortedDictionary<string, VolumeRecord> _volumes = ImmutableSortedDictionary<string, VolumeRecord>.Empty.WithComparers(StringComparer.Ordinal);

    public VolumeStore(IStateStore store, string root, ILogger? logger = null, TimeProvider? time = null)
    {
        _store = store;
        Root = Path.GetFullPath(root);
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>berthd's <c>--userns-remap</c>: a volume's <c>_data</c> is the remapped root's, as Docker makes it; null: host root's.</summary>
    public IdentityMapping? IdMapping { get; init; }

    /// <summary>Told of each volume made (<c>create</c>) and removed (<c>destroy</c>) once the store has it; set once, when berthd is wired.</summary>
    public Action<string, VolumeRecord>? Observer { get; set; }

    /// <summary>The directory holding every volume (<c>&lt;--root&gt;/volumes</c>).</summary>
    public string Root { get; }

    /// <summary>Where a volume's data is on the host (Docker's <c>Mountpoint</c>).</summary>
    public string MountpointOf(string name) => Path.Combine(Root, name, DataDirectoryName);

    /// <summary>Every ready volume, by name.</summary>
    public IReadOnlyList<VolumeRecord> List() => [.. _volumes.Values.Where(v => v.Phase == VolumePhase.Ready)];

    public VolumeRecord? Find(string name) => _volumes.TryGetValue(name, out var volume) && volume.Phase == VolumePhase.Ready ? volume : null;

    /// <summary>The volume, or Docker's 404 <c>get NAME: no such volume</c>.</summary>
    public VolumeRecord Get(string name) =>
        Find(name) ?? throw new BerthException(ErrorKind.NotFound, $"get {name}: no such volume");

    /// <summary>
    /// Makes a volume, or returns the one of that name (as Docker does: its labels and options stay).
    /// An empty name makes an anonymous volume with a generated name.
    /// </summary>
    public async Task<VolumeRecord> CreateAsync(
        string? name, string? driver = null, IReadOnlyDictionary<string, string>? options = null, IReadOnlyDictionary<string, string>? labels = null,
        CancellationToken cancellationToken = default)
    {
        bool anonymous = string.IsNullOrEmpty(name);
        string chosen = anonymous ? VolumeNames.Generate() : name!;
        Validate(chosen, driver, options);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_volumes.TryGetValue(chosen, out var existing))
            {
                return existing.Phase == VolumePhase.Ready
                    ? existing
                    : throw new BerthException(ErrorKind.Conflict, $"create {chosen}: the volume is being removed; try again");
            }

            var allLabels = labels?.ToImmutableSortedDictionary(StringComparer.Ordinal);
            if (anonymous)
            {
                allLabels = (allLabels ?? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal)).SetItem(VolumeNames.AnonymousLabel, "");
            }

            var record = new VolumeRecord
            {
                Name = chosen,
                CreatedAt = _time.GetUtcNow(),
                Labels = allLabels,
                Options = options?.ToImmutableSortedDictionary(StringComparer.Ordinal),
                Phase = VolumePhase.Creating,
            };
            await PutAsync(record, cancellationToken).ConfigureAwait(false);
            try
            {
                MakeData(chosen);
                File.SetUnixFileMode(MountpointOf(chosen), DataMode);
                record = record with { Phase = VolumePhase.Ready };
                await PutAsync(record, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                await DeleteAsync(chosen, CancellationToken.None).ConfigureAwait(false);
                throw new BerthException(ErrorKind.Internal, $"create {chosen}: cannot make {MountpointOf(chosen)}: {e.Message}", e);
            }

            VolumeLog.Created(_logger, chosen, MountpointOf(chosen));
            Observer?.Invoke("create", record);
            return record;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Removes a volume and its data. Whether it is in use is the caller's question.</summary>
    public async Task RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var record = Get(name);
            await PutAsync(record with { Phase = VolumePhase.Removing }, cancellationToken).ConfigureAwait(false);
            await DeleteAsync(name, CancellationToken.None).ConfigureAwait(false);
            VolumeLog.Removed(_logger, name);
            Observer?.Invoke("destroy", record);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Bytes in the volume's files (Docker's <c>SpaceReclaimed</c> of prune), hard links counted once.</summary>
    public long SizeOf(string name) => DirectorySize.Of(MountpointOf(name));

    /// <summary>
    /// Loads the records: a volume left Creating or Removing by a crash is removed (record and directory);
    /// a ready one whose directory is gone gets it back, empty. Copy-up views left mounted are swept.
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        ImageView.SweepLeftovers(Root);
        foreach (var entry in await _store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            var record = JsonSerializer.Deserialize(entry.Value.Span, VolumesJsonContext.Default.VolumeRecord)!;
            _volumes = _volumes.SetItem(record.Name, record);
            if (record.Phase != VolumePhase.Ready)
            {
                VolumeLog.HalfMadeRemoved(_logger, record.Name, record.Phase);
                await DeleteAsync(record.Name, cancellationToken).ConfigureAwait(false);
            }
            else if (!Directory.Exists(MountpointOf(record.Name)))
            {
                VolumeLog.DirectoryRecreated(_logger, record.Name);
                MakeData(record.Name);
            }
        }
    }

    private void MakeData(string name)
    {
        Directory.CreateDirectory(MountpointOf(name), DataMode);
        if (IdMapping is not null)
        {
            Users.RemappedOwner.GiveToRoot(IdMapping, MountpointOf(name));
        }
    }

    public void Dispose() => _lock.Dispose();

    private static void Validate(string name, string? driver, IReadOnlyDictionary<string, string>? options)
    {
        VolumeNames.Validate(name);
        if (driver is { Length: > 0 } && driver != VolumeNames.LocalDriver)
        {
            throw new BerthException(ErrorKind.NotFound,
                $"create {name}: error looking up volume plugin {driver}: plugin \"{driver}\" not found (Berth has only the \"{VolumeNames.LocalDriver}\" driver)");
        }

        var refused = (options?.Keys ?? []).Order(StringComparer.Ordinal).ToList();
        if (refused.Count == 0)
        {
            return;
        }

        var mounting = refused.Where(MountOptions.Contains).ToList();
        throw mounting.Count > 0
            ? new BerthException(ErrorKind.InvalidArgument,
                $"create {name}: option {string.Join(", ", mounting.Select(o => $"\"{o}\""))} of the local driver (tmpfs, NFS or device volumes) is not supported by Berth: its volumes are directories under --root; leave out --opt")
            : new BerthException(ErrorKind.InvalidArgument, $"create {name}: invalid option: \"{refused[0]}\"");
    }

    private async Task PutAsync(VolumeRecord record, CancellationToken cancellationToken)
    {
        await _store.PutAsync(Prefix + record.Name, JsonSerializer.SerializeToUtf8Bytes(record, VolumesJsonContext.Default.VolumeRecord), cancellationToken).ConfigureAwait(false);
        _volumes = _volumes.SetItem(record.Name, record);
    }

    /// <summary>The directory first, then the record: a crash in between leaves the record to finish the job.</summary>
    private async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        string directory = Path.Combine(Root, name);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        await _store.DeleteAsync(Prefix + name, cancellationToken).ConfigureAwait(false);
        _volumes = _volumes.Remove(name);
    }
}
