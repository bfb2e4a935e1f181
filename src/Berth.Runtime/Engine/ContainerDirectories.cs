using Berth.Linux.Filesystems;
using Berth.Core.Containers;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>
/// Where a container's files live under the engine's root: <c>&lt;root&gt;/&lt;id&gt;/</c> holds its log (outside the
/// bundle, so it continues across runs), its OCI bundle (replaced at every start) and its execs' state.
/// </summary>
public sealed class ContainerDirectories(string root)
{
    /// <summary>A shared /dev/shm's size: Docker's default <c>--shm-size</c>, 64 MiB.</summary>
    private const long ShmBytes = 64L * 1024 * 1024;

    public string Root { get; } = root;

    public string Of(ContainerId id) => Path.Combine(Root, id.Value);

    public string BundleOf(ContainerId id) => Path.Combine(Root, id.Value, "bundle");

    /// <summary>The bundle's files (/etc/hosts, rootfs…), the writable layer beside the bundle.</summary>
    public ContainerPaths PathsOf(ContainerId id) => new(BundleOf(id)) { LayerDirectory = LayerOf(id) };

    /// <summary>The writable layer (overlay upper and work): kept across runs, as a Docker container's files are.</summary>
    public string LayerOf(ContainerId id) => Path.Combine(Root, id.Value, "layer");

    /// <summary>An empty directory on which private views of the container's files are mounted (<c>docker cp</c>, export).</summary>
    public string ViewOf(ContainerId id) => Path.Combine(Root, id.Value, "view");

    /// <summary>The container's k8s-file log, as conmon writes it.</summary>
    public string LogOf(ContainerId id) => Path.Combine(Root, id.Value, "container.log");

    public string ExecsOf(ContainerId id) => Path.Combine(Root, id.Value, "exec");

    public void Create(ContainerId id) => Directory.CreateDirectory(Of(id));

    /// <summary>The /dev/shm of a container whose IPC namespace others may join (<c>--ipc shareable</c>): a tmpfs on the host, as Docker's <c>mounts/shm</c>.</summary>
    public string ShmOf(ContainerId id) => Path.Combine(Root, id.Value, "shm");

    /// <summary>Mounts <see cref="ShmOf"/> (64 MiB, mode 1777, Docker's /dev/shm) unless a previous run left it mounted; returns its path.</summary>
    public string MountShm(ContainerId id)
    {
        string shm = ShmOf(id);
        if (!IsMountPoint(shm))
        {
            Tmpfs.Mount(shm, ShmBytes, "1777");
        }

        return shm;
    }

    public void Delete(ContainerId id)
    {
        Tmpfs.Unmount(ShmOf(id));
        if (Directory.Exists(Of(id)))
        {
            Directory.Delete(Of(id), recursive: true);
        }
    }

    /// <summary>Whether something is mounted on <paramref name="directory"/>: its device differs from its parent's.</summary>
    private static bool IsMountPoint(string directory) =>
        NodeStatus.Of(directory) is { } inner && NodeStatus.Of(Path.GetDirectoryName(directory)!) is { } outer
        && (inner.DeviceMajor, inner.DeviceMinor) != (outer.DeviceMajor, outer.DeviceMinor);
}
