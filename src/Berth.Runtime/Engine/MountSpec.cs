using System.Collections.Immutable;

namespace Berth.Runtime.Engine;

/// <summary>
/// One mount as the client asked for it: an entry of Docker's <c>HostConfig.Mounts</c> (<c>--mount</c>), or a
/// <c>-v</c> bind string parsed by <see cref="MountParser.ParseBind"/>.
/// </summary>
public sealed record MountSpec
{
    public const string BindType = "bind";
    public const string VolumeType = "volume";
    public const string TmpfsType = "tmpfs";

    /// <summary><see cref="BindType"/>, <see cref="VolumeType"/> or <see cref="TmpfsType"/> (others are refused at create).</summary>
    public required string Type { get; init; }

    /// <summary>A host path (bind) or a volume name; empty for an anonymous volume.</summary>
    public string Source { get; init; } = "";

    public required string Target { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary><c>-v</c>'s mode string as given (<c>ro</c>, <c>z</c>, <c>nocopy</c>…); empty for <c>--mount</c>.</summary>
    public string Mode { get; init; } = "";

    /// <summary><c>volume-nocopy</c> / <c>:nocopy</c>: the image's content is not copied into a new volume.</summary>
    public bool NoCopy { get; init; }

    /// <summary>Bind propagation as asked; null is Docker's rprivate.</summary>
    public string? Propagation { get; init; }

    /// <summary><c>bind-create-src</c>: a missing bind source is made (as <c>-v</c> always does) instead of refused.</summary>
    public bool CreateMountpoint { get; init; }

    /// <summary>True for a <c>-v</c> string: a missing host directory is made at start.</summary>
    public bool FromBindString { get; init; }

    /// <summary>An anonymous volume from <c>Config.Volumes</c> or the image's VOLUME (inspect shows no mode for these).</summary>
    public bool Implicit { get; init; }

    /// <summary><c>volume-label</c>: labels for a volume this mount creates.</summary>
    public ImmutableDictionary<string, string>? VolumeLabels { get; init; }

    /// <summary><c>volume-driver</c>; null or empty is the local driver.</summary>
    public string? VolumeDriver { get; init; }

    /// <summary><c>tmpfs-size</c> in bytes; 0 is the kernel's default (half the memory).</summary>
    public long TmpfsSize { get; init; }

    /// <summary><c>tmpfs-mode</c> (permission bits); 0 is tmpfs's 1777.</summary>
    public uint TmpfsMode { get; init; }

    /// <summary><c>volume-opt</c>: driver options for a volume this mount creates.</summary>
    public ImmutableDictionary<string, string>? VolumeOptions { get; init; }
}
