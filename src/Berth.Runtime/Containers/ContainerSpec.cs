using System.Collections.Immutable;

namespace Berth.Runtime.Containers;

/// <summary>
/// What a container should be, already merged from the image config and the create request (the
/// Docker API's <c>Config</c> + <c>HostConfig</c> subset the runtime needs). Desired config only; the
/// runtime's view of a running container is <see cref="ContainerState"/>.
/// </summary>
public sealed record ContainerSpec
{
    /// <summary>The runtime id (runc and conmon use it as the container id).</summary>
    public required string Id { get; init; }

    /// <summary>The OCI runtime's name (<see cref="OciRuntimes"/>; Docker's <c>HostConfig.Runtime</c>); null: the daemon's default.</summary>
    public string? Runtime { get; init; }

    /// <summary>Image layer directories, top (newest) first: overlayfs <c>lowerdir</c> order.</summary>
    public required ImmutableArray<string> Layers { get; init; }

    /// <summary>Where the writable layer lives (<see cref="ContainerPaths.LayerDirectory"/>); null: in the bundle, gone with it.</summary>
    public string? LayerDirectory { get; init; }

    public ImmutableArray<string> Entrypoint { get; init; } = [];

    public ImmutableArray<string> Cmd { get; init; } = [];

    /// <summary><c>KEY=value</c>, image env first, request env after (later wins).</summary>
    public ImmutableArray<string> Env { get; init; } = [];

    /// <summary>Empty means <c>/</c>.</summary>
    public string WorkingDir { get; init; } = "";

    /// <summary>Docker's <c>--user</c>: <c>uid</c>, <c>uid:gid</c>, <c>name</c>, <c>name:group</c>; empty means root.</summary>
    public string User { get; init; } = "";

    public bool Tty { get; init; }

    /// <summary>Docker's <c>OpenStdin</c>/<c>StdinOnce</c>: whether clients can attach to the container's stdin, and until when.</summary>
    public StdinMode Stdin { get; init; }

    /// <summary>The pty's initial size (Docker's <c>HostConfig.ConsoleSize</c>, rows then columns); null or zero leaves runc's default.</summary>
    public (uint Height, uint Width)? ConsoleSize { get; init; }

    /// <summary>Where conmon writes the container's log; null is the bundle's <see cref="ContainerPaths.Log"/>. Outside the bundle it outlives the run.</summary>
    public string? LogPath { get; init; }

    public string Hostname { get; init; } = "";

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public ImmutableArray<BindMount> Binds { get; init; } = [];

    /// <summary>Berth's network namespace (a bind-mounted nsfs file); null gives the container a new, empty one.</summary>
    public string? NetworkNamespacePath { get; init; }

    public bool ReadOnlyRootfs { get; init; }

    /// <summary><c>--network host</c>: share the host's network namespace (no namespace entry in the spec).</summary>
    public bool HostNetwork { get; init; }

    /// <summary>RLIMIT_NOFILE (soft = hard); null is Docker's 1048576. <see cref="ContainerRuntime"/> fills it from <see cref="NoFileLimit"/>.</summary>
    public ulong? NoFile { get; init; }

    /// <summary>Contents of the container's /etc/hosts; null writes the localhost entries and the hostname.</summary>
    public string? Hosts { get; init; }

    /// <summary>False: no seccomp filter (<c>--security-opt seccomp=unconfined</c>); true: <see cref="SeccompProfile.Default"/>.</summary>
    public bool Seccomp { get; init; } = true;

    /// <summary>The process's capabilities (<see cref="Capabilities.Resolve"/>); null is Docker's default set.</summary>
    public ImmutableArray<string>? Capabilities { get; init; }

    /// <summary><c>--privileged</c>: every capability berthd holds (its bounding set), no seccomp filter, no masked or read-only /proc paths, /sys writable (devices stay runc's default set).</summary>
    public bool Privileged { get; init; }

    /// <summary><c>--security-opt no-new-privileges</c>: setuid binaries and file capabilities grant nothing.</summary>
    public bool NoNewPrivileges { get; init; }

    /// <summary>The cgroup limits (Docker's HostConfig resources), validated at create; runc writes them into the container's cgroup.</summary>
    public ContainerResources Resources { get; init; } = ContainerResources.None;

    /// <summary><c>--shm-size</c>: the size of /dev/shm in bytes; 0 is Docker's 64 MiB.</summary>
    public long ShmSize { get; init; }

    /// <summary>Kernel settings runc writes in the container's namespaces (<c>--sysctl</c>).</summary>
    public ImmutableSortedDictionary<string, string> Sysctls { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Contents of the container's /etc/resolv.conf; null copies the host's.</summary>
    public string? ResolvConf { get; init; }

    /// <summary><c>--init</c>: the host path of the init (docker-init, tini) bound read-only at <see cref="OciSpecBuilder.InitPath"/> and run as PID 1 before the command; null runs the command as PID 1.</summary>
    public string? Init { get; init; }

    /// <summary><c>--tmpfs</c> and <c>--mount type=tmpfs</c>: tmpfs mounts after the binds.</summary>
    public ImmutableArray<TmpfsMount> Tmpfs { get; init; } = [];

    /// <summary><c>--pid</c>: a PID namespace of its own, the host's, or another container's.</summary>
    public NamespaceShare Pid { get; init; } = NamespaceShare.Private;

    /// <summary><c>--ipc</c>: an IPC namespace of its own (with its own /dev/shm, or none for <c>none</c>), the host's or another container's (with that one's /dev/shm, <see cref="ShmSource"/>).</summary>
    public NamespaceShare Ipc { get; init; } = NamespaceShare.Private;

    /// <summary>The directory bound at /dev/shm when the IPC namespace is shared (the host's /dev/shm, the other container's); null mounts a fresh tmpfs.</summary>
    public string? ShmSource { get; init; }

    /// <summary><c>--uts host</c>: the host's hostname and domain name (no UTS namespace, no hostname set).</summary>
    public bool HostUts { get; init; }

    /// <summary><c>--userns host</c>: no user namespace even when berthd remaps (<c>--userns-remap</c>); container root is the host's root.</summary>
    public bool HostUserns { get; init; }

    /// <summary>
    /// The user namespace to join when berthd remaps: the one that owns <see cref="NetworkNamespacePath"/>, made with it
    /// (<see cref="Linux.Namespaces.NamespaceManager.CreateOwned"/>); null makes a new one (the runtime fills it in).
    /// </summary>
    public string? UserNamespacePath { get; init; }

    /// <summary><c>--device</c>: host device nodes made in the container and allowed by its device cgroup.</summary>
    public ImmutableArray<DeviceMapping> Devices { get; init; } = [];

    /// <summary><c>--device-cgroup-rule</c>: further allow rules of the device cgroup (<see cref="DeviceCgroupRule"/>).</summary>
    public ImmutableArray<string> DeviceCgroupRules { get; init; } = [];

    /// <summary><c>--group-add</c>: supplementary groups, by number or by a name in the image's /etc/group.</summary>
    public ImmutableArray<string> GroupAdd { get; init; } = [];
}
