using Berth.Core.Networks;
using System.Collections.Immutable;
using Berth.Core.Ports;

namespace Berth.Runtime.Engine;

/// <summary>A container as the client asked for it (the parts of Docker's create request Berth acts on).</summary>
public sealed record ContainerCreateSpec
{
    public required string Image { get; init; }

    /// <summary>Null: the image's.</summary>
    public ImmutableArray<string>? Cmd { get; init; }

    /// <summary>Null: the image's.</summary>
    public ImmutableArray<string>? Entrypoint { get; init; }

    public ImmutableArray<string> Env { get; init; } = [];

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    public string? Hostname { get; init; }

    public bool Tty { get; init; }

    /// <summary>Docker's <c>OpenStdin</c>: the container gets a stdin clients can attach to.</summary>
    public bool OpenStdin { get; init; }

    /// <summary>Docker's <c>StdinOnce</c>: that stdin closes when the first attached client ends its input.</summary>
    public bool StdinOnce { get; init; }

    public bool AttachStdin { get; init; }

    public bool AttachStdout { get; init; }

    public bool AttachStderr { get; init; }

    /// <summary>Docker's <c>HostConfig.ConsoleSize</c> (rows, columns) for the pty; 0 leaves the default.</summary>
    public uint ConsoleHeight { get; init; }

    public uint ConsoleWidth { get; init; }

    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>default, bridge, host, none, container:&lt;id&gt;, or a network name; parsed at the API (stored as Docker's string).</summary>
    public NetworkMode NetworkMode { get; init; } = NetworkMode.Default;

    /// <summary>The networks to connect at start, with their fixed addresses and aliases.</summary>
    public ImmutableArray<EndpointSpec> Endpoints { get; init; } = [];

    /// <summary>Docker's <c>HostConfig.Links</c> as sent (<c>NAME[:ALIAS]</c>); acted on for the default bridge only, see <see cref="LegacyLink"/>.</summary>
    public ImmutableArray<string> Links { get; init; } = [];

    public bool AutoRemove { get; init; }

    /// <summary><c>-v /host:/ctr[:ro]</c> binds (Docker's <c>HostConfig.Binds</c>).</summary>
    public ImmutableArray<string> Binds { get; init; } = [];

    /// <summary><c>--mount</c>s (Docker's <c>HostConfig.Mounts</c>); checked by <see cref="MountParser"/>.</summary>
    public ImmutableArray<MountSpec> Mounts { get; init; } = [];

    /// <summary>Docker's <c>Config.Volumes</c> (<c>-v /path</c>): anonymous volumes at these paths.</summary>
    public ImmutableArray<string> Volumes { get; init; } = [];

    public bool ReadonlyRootfs { get; init; }

    /// <summary><c>--sysctl</c>: kernel settings of the container's own namespaces (<see cref="SysctlRules"/>).</summary>
    public ImmutableSortedDictionary<string, string> Sysctls { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public ImmutableArray<string> CapAdd { get; init; } = [];

    public ImmutableArray<string> CapDrop { get; init; } = [];

    public bool Privileged { get; init; }

    /// <summary><c>--runtime</c>: the OCI runtime's name (Runtime.Containers.OciRuntimes); null: the daemon's default at start.</summary>
    public string? Runtime { get; init; }

    /// <summary><c>--dns</c>: the container's own name servers (validated as addresses at create).</summary>
    public ImmutableArray<string> Dns { get; init; } = [];

    /// <summary><c>--dns-search</c>: search domains for its resolv.conf.</summary>
    public ImmutableArray<string> DnsSearch { get; init; } = [];

    /// <summary><c>--dns-option</c>: resolv.conf options.</summary>
    public ImmutableArray<string> DnsOptions { get; init; } = [];

    /// <summary><c>--add-host</c> / compose <c>extra_hosts</c>: <c>name:address</c> lines of /etc/hosts, checked by <see cref="ExtraHostEntries"/>.</summary>
    public ImmutableArray<string> ExtraHosts { get; init; } = [];

    /// <summary>Docker's <c>--security-opt</c> values, validated by <see cref="SecurityOptions"/>.</summary>
    public ImmutableArray<string> SecurityOpt { get; init; } = [];

    /// <summary>Config.Healthcheck as sent; null (or empty fields) inherit the image's.</summary>
    public Images.HealthConfig? Healthcheck { get; init; }

    /// <summary>Docker's <c>HostConfig.PortBindings</c>: <c>-p</c>, one entry per container port and host binding.</summary>
    public ImmutableArray<PortBinding> PortBindings { get; init; } = [];

    /// <summary><c>-P</c>: every exposed port (the image's and <see cref="ExposedPorts"/>) on a free host port.</summary>
    public bool PublishAllPorts { get; init; }

    /// <summary>Docker's <c>Config.ExposedPorts</c> as sent (<c>--expose</c>, and the ports of <c>-p</c>).</summary>
    public ImmutableArray<ContainerPort> ExposedPorts { get; init; } = [];

    /// <summary>Docker's HostConfig resources (<c>--memory</c>, <c>--cpus</c>, <c>--pids-limit</c>, …), checked and completed by <see cref="ResourceRules"/> at create.</summary>
    public Containers.ContainerResources Resources { get; init; } = Containers.ContainerResources.None;

    /// <summary><c>--shm-size</c>: /dev/shm's size in bytes; 0 is Docker's 64 MiB (inspect shows that).</summary>
    public long ShmSize { get; init; }

    /// <summary>What to do when the process exits (validated by <see cref="RestartPolicy.Validate"/>).</summary>
    public RestartPolicy RestartPolicy { get; init; } = RestartPolicy.None;

    /// <summary><c>--stop-signal</c> (Docker's <c>Config.StopSignal</c>): what <c>docker stop</c> sends first; null at create takes the image's, else SIGTERM.</summary>
    public string? StopSignal { get; init; }

    /// <summary><c>--stop-timeout</c> in seconds (Docker's <c>Config.StopTimeout</c>): how long a stop without <c>-t</c> waits before SIGKILL; -1 forever; null is 10.</summary>
    public int? StopTimeout { get; init; }

    /// <summary><c>--init</c> (Docker's <c>HostConfig.Init</c>): docker-init as PID 1, reaping zombies and forwarding signals; null is the daemon's default (off).</summary>
    public bool? Init { get; init; }

    /// <summary><c>--tmpfs PATH[:OPTIONS]</c> (Docker's <c>HostConfig.Tmpfs</c>): path → mount options.</summary>
    public ImmutableDictionary<string, string> Tmpfs { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary><c>--pid</c>, <c>--ipc</c>, <c>--uts</c> as sent (checked by <see cref="NamespaceModes"/>).</summary>
    public NamespaceModes Namespaces { get; init; } = NamespaceModes.Default;

    /// <summary><c>--device</c> (Docker's <c>HostConfig.Devices</c>).</summary>
    public ImmutableArray<Containers.DeviceMapping> Devices { get; init; } = [];

    /// <summary><c>--device-cgroup-rule</c> (Docker's <c>HostConfig.DeviceCgroupRules</c>).</summary>
    public ImmutableArray<string> DeviceCgroupRules { get; init; } = [];

    /// <summary><c>--volumes-from NAME[:ro|:rw]</c> (Docker's <c>HostConfig.VolumesFrom</c>), see <see cref="VolumesFrom"/>.</summary>
    public ImmutableArray<string> VolumesFrom { get; init; } = [];

    /// <summary><c>--log-driver</c>/<c>--log-opt</c> as resolved at create (the daemon's default filled in); null in records made before log drivers (json-file).</summary>
    public Logging.LogConfig? LogConfig { get; init; }

    /// <summary><c>--group-add</c> (Docker's <c>HostConfig.GroupAdd</c>): supplementary groups by name or number.</summary>
    public ImmutableArray<string> GroupAdd { get; init; } = [];

    /// <summary>
    /// The networks this spec asks for, in order: its endpoints, or the network its mode names (<c>default</c> is
    /// <c>bridge</c>, marked <see cref="EndpointSpec.Implied"/>). Empty for host, none and container: modes. Only for a
    /// spec not yet made into a record: a record's endpoints are <see cref="ContainerRecord.EffectiveEndpoints"/>.
    /// </summary>
    public ImmutableArray<EndpointSpec> EffectiveEndpoints() =>
        !Endpoints.IsEmpty || NetworkMode.ImpliedNetwork is not { } implied
            ? Endpoints
            : [new EndpointSpec(implied) { Implied = true }];
}
