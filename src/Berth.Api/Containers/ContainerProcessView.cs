using System.Collections.Immutable;
using Berth.Api.Contracts;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Engine;

namespace Berth.Api.Containers;

/// <summary>
/// Docker's process options ↔ <see cref="ContainerCreateSpec"/>: stop signal and timeout, init, tmpfs, PID/IPC/UTS/user
/// modes, devices and device cgroup rules, added groups, volumes from other containers, isolation. Read from a create request (checked later by
/// the engine's <see cref="ProcessOptionRules"/>), shown by inspect with Docker's names and zero values.
/// </summary>
internal static class ContainerProcessView
{
    /// <summary>The one isolation technology Linux has (moby <c>container.Isolation.IsValid</c>).</summary>
    private const string DefaultIsolation = "default";

    public static ContainerCreateSpec Apply(ContainerCreateSpec spec, ContainerCreateRequest request)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(request);
        var host = request.HostConfig;
        if (host?.Isolation is { Length: > 0 } isolation && !isolation.Equals(DefaultIsolation, StringComparison.OrdinalIgnoreCase))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"Invalid isolation: \"{isolation}\" - linux only supports 'default'");
        }

        return spec with
        {
            StopSignal = request.StopSignal is { Length: > 0 } signal ? signal : null,
            StopTimeout = request.StopTimeout,
            Init = host?.Init,
            Tmpfs = (host?.Tmpfs ?? []).ToImmutableDictionary(),
            Namespaces = new NamespaceModes(host?.PidMode ?? "", host?.IpcMode ?? "", host?.UTSMode ?? "") { Userns = host?.UsernsMode ?? "" },
            Devices = [.. (host?.Devices ?? []).Select(Device)],
            DeviceCgroupRules = [.. host?.DeviceCgroupRules ?? []],
            GroupAdd = [.. host?.GroupAdd ?? []],
            VolumesFrom = [.. host?.VolumesFrom ?? []],
        };
    }

    /// <summary>Inspect's fields for <paramref name="spec"/>.</summary>
    public static void Show(ContainerCreateSpec spec, ContainerHostConfig host, ContainerConfigInfo config)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(config);
        config.StopSignal = spec.StopSignal;
        config.StopTimeout = spec.StopTimeout;
        host.Init = spec.Init;
        host.Tmpfs = spec.Tmpfs.IsEmpty ? null : new Dictionary<string, string>(spec.Tmpfs);
        host.PidMode = spec.Namespaces.Pid;
        host.IpcMode = spec.Namespaces.Ipc.Length == 0 ? NamespaceModes.DefaultIpc : spec.Namespaces.Ipc;
        host.UTSMode = spec.Namespaces.Uts;
        host.UsernsMode = spec.Namespaces.Userns;
        host.Devices = [.. spec.Devices.Select(d => new DeviceMappingContract { PathOnHost = d.PathOnHost, PathInContainer = d.PathInContainer, CgroupPermissions = d.CgroupPermissions })];
        host.DeviceCgroupRules = spec.DeviceCgroupRules.IsEmpty ? null : [.. spec.DeviceCgroupRules];
        host.GroupAdd = spec.GroupAdd.IsEmpty ? null : [.. spec.GroupAdd];
        host.VolumesFrom = spec.VolumesFrom.IsEmpty ? null : [.. spec.VolumesFrom];
        host.Isolation = "";
    }

    /// <summary>A device as sent; the CLI fills the container path and permissions, other clients may not (moby's defaults).</summary>
    private static DeviceMapping Device(DeviceMappingContract device) => new(
        device.PathOnHost,
        device.PathInContainer is { Length: > 0 } inContainer ? inContainer : device.PathOnHost,
        device.CgroupPermissions is { Length: > 0 } permissions ? permissions : DeviceMapping.AllPermissions);
}
