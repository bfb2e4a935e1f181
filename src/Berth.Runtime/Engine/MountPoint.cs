namespace Berth.Runtime.Engine;

/// <summary>
/// A mount of a container, resolved at create (volumes made, names generated): what inspect's <c>Mounts</c>
/// shows (moby's <c>MountPoint</c>) and what is bind-mounted into the container at every start.
/// </summary>
public sealed record MountPoint
{
    /// <summary><see cref="MountSpec.BindType"/>, <see cref="MountSpec.VolumeType"/> or <see cref="MountSpec.TmpfsType"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The volume's name; empty for a bind.</summary>
    public string Name { get; init; } = "";

    /// <summary>The host path: a bind's source, a volume's mount point.</summary>
    public required string Source { get; init; }

    public required string Destination { get; init; }

    /// <summary><c>local</c> for volumes; empty for binds.</summary>
    public string Driver { get; init; } = "";

    /// <summary>Docker's <c>Mode</c>: the <c>-v</c> mode string; <c>z</c> when a named local volume had none.</summary>
    public string Mode { get; init; } = "";

    public bool RW { get; init; } = true;

    /// <summary><c>rprivate</c> (or as asked) for binds; empty for volumes.</summary>
    public string Propagation { get; init; } = "";

    /// <summary>A volume mount without a source (<c>-v /path</c>, an image's VOLUME, <c>--mount type=volume,dst=…</c>): <c>rm -v</c> removes it.</summary>
    public bool Anonymous { get; init; }

    /// <summary>A <c>-v</c> bind: its host directory is made at start when missing (Docker's rule for <c>-v</c>).</summary>
    public bool CreateSource { get; init; }

    /// <summary>A tmpfs's mount options (<c>size=</c>, <c>mode=</c>), made fresh at every start; empty for the others.</summary>
    public string TmpfsOptions { get; init; } = "";

    public bool IsVolume => Type == MountSpec.VolumeType;

    public bool IsTmpfs => Type == MountSpec.TmpfsType;
}
