using Berth.Runtime.Volumes;

namespace Berth.Runtime.Engine;

/// <summary>Named volumes as containers use them: the store, which containers use one, removal refused while in use.</summary>
public interface IContainerVolumes
{
    VolumeStore Volumes { get; }

    IReadOnlyList<string> ContainersUsingVolume(string name);

    Task RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken = default);

    Task<(IReadOnlyList<string> Deleted, long SpaceReclaimed)> PruneVolumesAsync(Func<VolumeRecord, bool> matches, CancellationToken cancellationToken = default);
}
