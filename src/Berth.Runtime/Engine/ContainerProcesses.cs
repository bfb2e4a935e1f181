using Berth.Runtime.Containers;
using Berth.Runtime.Images;

namespace Berth.Runtime.Engine;

/// <summary>
/// What a container's process is (command, environment, user, directory, terminal, privileges), for its start and
/// for its execs, and one more process started in a running container (an exec, a healthcheck's probe).
/// </summary>
public sealed class ContainerProcesses(ImageStore images, IContainerRuntime runtime, ContainerDirectories directories)
{
    public ImageDetails ImageOf(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return images.Inspect(record.ImageId);
    }

    /// <summary>The container's process as its image and its create request make it.</summary>
    public static ContainerSpec ProcessSpecOf(ContainerRecord record, ImageDetails image)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(image);
        var security = SecurityOptions.Parse(record.Spec.SecurityOpt);
        return new ContainerSpec
        {
            Id = record.Id.Value,
            Runtime = record.Spec.Runtime,
            Layers = [.. image.LayerDirectories.Reverse()],
            Cmd = record.Command,
            Env = [.. record.LinkEnvironment, .. image.Config.Config?.Env ?? [], .. record.Spec.Env],
            WorkingDir = record.Spec.WorkingDir ?? image.Config.Config?.WorkingDir ?? "",
            User = record.Spec.User ?? image.Config.Config?.User ?? "",
            Tty = record.Spec.Tty,
            Hostname = record.EffectiveHostname(),
            Seccomp = security.Seccomp,
            NoNewPrivileges = security.NoNewPrivileges,
            Capabilities = [.. Capabilities.Resolve(record.Spec.CapAdd, record.Spec.CapDrop).Intersect(Capabilities.Bounding())],
            Privileged = record.Spec.Privileged,
            Resources = record.Spec.Resources,
            Init = record.Spec.Init == true ? InitBinary.Path ?? throw new Core.Errors.BerthException(Core.Errors.ErrorKind.InvalidArgument,
                "--init needs docker-init (or tini-static) on berthd's PATH; install Debian's tini package, or leave out --init") : null,
            Tmpfs = [.. record.Spec.Tmpfs.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => TmpfsOptions.Mount(t.Key, t.Value)),
                .. record.Mounts.Where(m => m.IsTmpfs).Select(m => TmpfsOptions.Mount(m.Destination, m.TmpfsOptions))],
            HostUts = record.Spec.Namespaces.Uts == NamespaceModes.Host,
            HostUserns = record.Spec.Namespaces.Userns == NamespaceModes.Host,
            Devices = record.Spec.Devices,
            DeviceCgroupRules = record.Spec.DeviceCgroupRules,
            GroupAdd = record.Spec.GroupAdd,
            ShmSize = record.Spec.ShmSize,
        };
    }

    /// <summary>Starts <paramref name="exec"/> in the running container, with the container's own process settings under it.</summary>
    public async Task<ExecProcess> StartAsync(ContainerRecord record, string execId, ExecSpec exec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var container = ProcessSpecOf(record, ImageOf(record)) with { NoFile = NoFileLimit.ForContainers() };
        var process = ExecProcessSpec.Build(container, exec, directories.PathsOf(record.Id).Rootfs);
        return await runtime.ExecAsync(record.Id.Value, new ExecPaths(directories.ExecsOf(record.Id), execId), process, cancellationToken).ConfigureAwait(false);
    }
}
