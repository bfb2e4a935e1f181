using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Images;

namespace Berth.Runtime.Engine;

/// <summary>
/// Create-time checks of the process options beyond resources: stop signal and timeout, <c>--tmpfs</c>, <c>--pid</c>,
/// <c>--ipc</c>, <c>--uts</c>, <c>--device</c>, <c>--device-cgroup-rule</c>; each refusal is a 400 naming the value,
/// before anything is made. The stop signal not given is the image's, as moby's create merges it. When berthd remaps
/// (<c>--userns-remap</c>), what a user namespace cannot have is refused unless the container opts out with
/// <c>--userns host</c> (moby's <c>verifyPlatformContainerSettings</c>, with its words).
/// </summary>
public static class ProcessOptionRules
{
    public static ContainerCreateSpec Validate(ContainerCreateSpec spec, ContainerConfig? image, bool remapping = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string? stopSignal = spec.StopSignal is { Length: > 0 } own ? own : image?.StopSignal is { Length: > 0 } inherited ? inherited : null;
        if (stopSignal is not null)
        {
            Signals.Validate(stopSignal);
        }

        if (spec.StopTimeout is < -1)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid stop timeout {spec.StopTimeout}: give seconds, or -1 to wait for ever");
        }

        foreach (var (destination, data) in spec.Tmpfs)
        {
            TmpfsOptions.Mount(destination, data);
        }

        var modes = NamespaceModes.Validate(spec.Namespaces.Pid, spec.Namespaces.Ipc, spec.Namespaces.Uts, spec.Hostname, spec.Namespaces.Userns);
        if (remapping && modes.Userns != NamespaceModes.Host)
        {
            CheckUserNamespace(spec, modes);
        }

        if (modes.Uts == NamespaceModes.Host && spec.NetworkMode.IsContainer)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "conflicting options: UTS mode host and --network container:NAME (the other container's hostname is shared); leave out --uts");
        }

        foreach (DeviceMapping device in spec.Devices)
        {
            if (!device.PathInContainer.StartsWith('/') || device.CgroupPermissions.Length == 0 || device.CgroupPermissions.Any(c => c is not ('r' or 'w' or 'm')))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"invalid device mapping {device.PathOnHost}:{device.PathInContainer}:{device.CgroupPermissions}: the container path must be absolute and the permissions of r, w and m");
            }
        }

        HostDevices.Resolve(spec.Devices);
        foreach (string rule in spec.DeviceCgroupRules)
        {
            DeviceCgroupRule.Parse(rule);
        }

        return spec with { StopSignal = stopSignal, Namespaces = modes };
    }

    private static void CheckUserNamespace(ContainerCreateSpec spec, NamespaceModes modes)
    {
        if (spec.Privileged)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "privileged mode is incompatible with user namespaces.  You must run the container in the host namespace when running privileged mode (add --userns host)");
        }

        if (spec.NetworkMode.IsHost)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "cannot share the host's network namespace when user namespaces are enabled (add --userns host)");
        }

        if (modes.Pid == NamespaceModes.Host)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "cannot share the host PID namespace when user namespaces are enabled (add --userns host)");
        }
    }
}
