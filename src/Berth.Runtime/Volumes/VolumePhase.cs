namespace Berth.Runtime.Volumes;

/// <summary>
/// Where a volume is in its life. The record is written before its directory is made and marked
/// <see cref="Removing"/> before the directory goes, so a crash at any point leaves a record that says
/// what to finish: <see cref="Creating"/> and <see cref="Removing"/> ones are removed at the next start.
/// </summary>
public enum VolumePhase
{
    Creating,
    Ready,
    Removing,
}
