using System.Collections.Immutable;
using Berth.Api.Contracts;
using Berth.Runtime.Engine;

namespace Berth.Api.Containers;

/// <summary>A container's mounts in the API: <c>HostConfig.Mounts</c> both ways, and the <c>Mounts</c> of inspect and ps.</summary>
internal static class ContainerMountView
{
    /// <summary><c>HostConfig.Mounts</c> of a create request; <c>Config.Volumes</c>' keys go to <see cref="ContainerCreateSpec.Volumes"/>.</summary>
    public static ImmutableArray<MountSpec> FromRequest(List<MountConfig>? mounts) =>
        [.. (mounts ?? []).Select(m => new MountSpec
        {
            Type = m.Type ?? "",
            Source = m.Source ?? "",
            Target = m.Target ?? "",
            ReadOnly = m.ReadOnly,
            NoCopy = m.VolumeOptions?.NoCopy ?? false,
            Propagation = m.BindOptions?.Propagation is { Length: > 0 } p ? p : null,
            CreateMountpoint = m.BindOptions?.CreateMountpoint ?? false,
            VolumeLabels = m.VolumeOptions?.Labels?.ToImmutableDictionary(),
            VolumeDriver = m.VolumeOptions?.DriverConfig?.Name,
            VolumeOptions = m.VolumeOptions?.DriverConfig?.Options?.ToImmutableDictionary(),
            TmpfsSize = m.TmpfsOptions?.SizeBytes ?? 0,
            TmpfsMode = m.TmpfsOptions?.Mode ?? 0,
        })];

    /// <summary>Inspect's <c>HostConfig.Mounts</c>: what was sent, null when nothing was.</summary>
    public static List<MountConfig>? ToRequest(ImmutableArray<MountSpec> mounts) => mounts.IsDefaultOrEmpty ? null :
        [.. mounts.Select(m => new MountConfig
        {
            Type = m.Type,
            Source = m.Source.Length == 0 ? null : m.Source,
            Target = m.Target,
            ReadOnly = m.ReadOnly,
            BindOptions = m.Propagation is null && !m.CreateMountpoint ? null : new MountBindOptions { Propagation = m.Propagation, CreateMountpoint = m.CreateMountpoint },
            TmpfsOptions = m.TmpfsSize == 0 && m.TmpfsMode == 0 ? null : new MountTmpfsOptions { SizeBytes = m.TmpfsSize, Mode = m.TmpfsMode },
            VolumeOptions = !m.NoCopy && m.VolumeLabels is null && m.VolumeDriver is null && m.VolumeOptions is null ? null : new MountVolumeOptions
            {
                NoCopy = m.NoCopy,
                Labels = m.VolumeLabels?.ToDictionary(),
                DriverConfig = m.VolumeDriver is null && m.VolumeOptions is null ? null : new MountDriverConfig { Name = m.VolumeDriver, Options = m.VolumeOptions?.ToDictionary() },
            },
        })];

    /// <summary>moby's <c>MountPoint</c>s: Name and Driver only for volumes.</summary>
    public static List<MountPointContract> Points(ContainerRecord record) =>
        [.. record.Mounts.Select(m => new MountPointContract
        {
            Type = m.Type,
            Name = m.IsVolume ? m.Name : null,
            Source = m.Source,
            Destination = m.Destination,
            Driver = m.IsVolume ? m.Driver : null,
            Mode = m.Mode,
            RW = m.RW,
            Propagation = m.Propagation,
        })];
}
