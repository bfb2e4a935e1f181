namespace Berth.Api.Contracts;

// The container types of the Docker Engine API that Berth reads and writes (the fields clients use).
#pragma warning disable CA1002, CA2227, SA1402

/// <summary>The body of <c>POST /containers/create</c>.</summary>
public sealed partial class ContainerCreateRequest
{
    public string? Image { get; set; }

    public List<string>? Cmd { get; set; }

    public List<string>? Entrypoint { get; set; }

    public List<string>? Env { get; set; }

    public string? WorkingDir { get; set; }

    public string? User { get; set; }

    public string? Hostname { get; set; }

    public bool? Tty { get; set; }

    public bool? OpenStdin { get; set; }

    public bool? StdinOnce { get; set; }

    public bool? AttachStdin { get; set; }

    public bool? AttachStdout { get; set; }

    public bool? AttachStderr { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public ContainerHostConfig? HostConfig { get; set; }

    public ContainerNetworkingConfig? NetworkingConfig { get; set; }

    public HealthcheckConfig? Healthcheck { get; set; }

    public Dictionary<string, EmptyObjectContract>? ExposedPorts { get; set; }

    /// <summary><c>-v /path</c>: anonymous volumes at these paths.</summary>
    public Dictionary<string, EmptyObjectContract>? Volumes { get; set; }
}

public sealed partial class ContainerHostConfig
{
    public string? NetworkMode { get; set; }

    public bool AutoRemove { get; set; }

    public List<string>? SecurityOpt { get; set; }

    public List<string>? Dns { get; set; }

    public List<string>? DnsSearch { get; set; }

    public List<string>? DnsOptions { get; set; }

    public List<string>? Binds { get; set; }

    /// <summary><c>--mount</c>s; left out of inspect when there are none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public List<MountConfig>? Mounts { get; set; }

    public bool ReadonlyRootfs { get; set; }

    public Dictionary<string, string>? Sysctls { get; set; }

    public List<string>? CapAdd { get; set; }

    public List<string>? CapDrop { get; set; }

    public bool Privileged { get; set; }

    /// <summary><c>--runtime</c>: the OCI runtime's name; inspect shows the one the container was created with.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Runtime { get; set; }

    /// <summary>[rows, columns] of the pty (create with -t); null when not given.</summary>
    public List<uint>? ConsoleSize { get; set; }

    public ContainerRestartPolicy? RestartPolicy { get; set; }

    /// <summary><c>--link NAME[:ALIAS]</c> in a create request; inspect shows the default bridge's as <c>/NAME:/CONTAINER/ALIAS</c>.</summary>
    public List<string>? Links { get; set; }
    /// <summary><c>--add-host</c> and compose's <c>extra_hosts</c>: <c>name:address</c>, written to the container's /etc/hosts.</summary>
    public List<string>? ExtraHosts { get; set; }

    /// <summary><c>-p</c>: container port (<c>80/tcp</c>) → host bindings.</summary>
    public Dictionary<string, List<PortBindingContract>?>? PortBindings { get; set; }

    /// <summary><c>-P</c>.</summary>
    public bool PublishAllPorts { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public LogConfigContract? LogConfig { get; set; }

    /// <summary><c>--memory</c> in bytes; 0 is no limit (inspect always shows it, as Docker does; null in <c>docker ps</c>).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? Memory { get; set; }

    /// <summary><c>--memory-swap</c>: memory plus swap; -1 unlimited; twice <see cref="Memory"/> when only that is set.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? MemorySwap { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? MemoryReservation { get; set; }

    /// <summary><c>--cpus</c> in billionths of a CPU.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? NanoCpus { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? CpuShares { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? CpuPeriod { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? CpuQuota { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? CpusetCpus { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? CpusetMems { get; set; }

    /// <summary><c>--pids-limit</c>; null (as Docker's inspect shows it) is unlimited, and so are 0 and -1 in a request.</summary>
    public long? PidsLimit { get; set; }

    /// <summary><c>--oom-kill-disable</c>; null when not given.</summary>
    public bool? OomKillDisable { get; set; }

    /// <summary><c>--volumes-from NAME[:ro|:rw]</c> (docker-py sends <c>[]</c>).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? VolumesFrom { get; set; }
}

/// <summary>One host binding of a container port: <c>{"HostIp": "0.0.0.0", "HostPort": "8080"}</c>.</summary>
public sealed class PortBindingContract
{
    public string? HostIp { get; set; }

    public string? HostPort { get; set; }
}

/// <summary>A port in <c>GET /containers/json</c>: <c>{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"}</c>.</summary>
public sealed class ContainerPortSummary
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? IP { get; set; }

    public int PrivatePort { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? PublicPort { get; set; }

    public string Type { get; set; } = "tcp";
}

public sealed class ContainerNetworkingConfig
{
    public Dictionary<string, EndpointSettings?>? EndpointsConfig { get; set; }
}

/// <summary>A container's settings on one network (request and response side).</summary>
public sealed class EndpointSettings
{
    public EndpointIpamConfig? IPAMConfig { get; set; }

    public List<string>? Links { get; set; }

    public List<string>? Aliases { get; set; }

    public string? MacAddress { get; set; }

    public string? NetworkID { get; set; }

    public string? EndpointID { get; set; }

    public string? Gateway { get; set; }

    public string? IPAddress { get; set; }

    public int IPPrefixLen { get; set; }

    public string? IPv6Gateway { get; set; }

    public string? GlobalIPv6Address { get; set; }

    public int GlobalIPv6PrefixLen { get; set; }

    public List<string>? DNSNames { get; set; }
}

public sealed class EndpointIpamConfig
{
    public string? IPv4Address { get; set; }

    public string? IPv6Address { get; set; }
}

public sealed class ContainerCreateResponse
{
    public string Id { get; set; } = "";

    public List<string> Warnings { get; set; } = [];
}

public sealed class ContainerWaitResponse
{
    public int StatusCode { get; set; }

    public ContainerWaitError? Error { get; set; }
}

public sealed class ContainerWaitError
{
    public string Message { get; set; } = "";
}

/// <summary>An element of <c>GET /containers/json</c>.</summary>
public sealed class ContainerSummary
{
    public string Id { get; set; } = "";

    public List<string> Names { get; set; } = [];

    public string Image { get; set; } = "";

    public string ImageID { get; set; } = "";

    public string Command { get; set; } = "";

    public long Created { get; set; }

    public string State { get; set; } = "";

    public string Status { get; set; } = "";

    public List<ContainerPortSummary> Ports { get; set; } = [];

    public Dictionary<string, string> Labels { get; set; } = [];

    public ContainerHostConfig HostConfig { get; set; } = new();

    public ContainerSummaryNetworks NetworkSettings { get; set; } = new();

    public List<MountPointContract> Mounts { get; set; } = [];
}

public sealed class ContainerSummaryNetworks
{
    public Dictionary<string, EndpointSettings> Networks { get; set; } = [];
}

/// <summary><c>GET /containers/{id}/json</c>.</summary>
public sealed class ContainerInspect
{
    public string Id { get; set; } = "";

    public string Created { get; set; } = "";

    public string Path { get; set; } = "";

    public List<string> Args { get; set; } = [];

    public ContainerStateInfo State { get; set; } = new();

    public string Image { get; set; } = "";

    public string Name { get; set; } = "";

    public int RestartCount { get; set; }

    public string Driver { get; set; } = "overlay2";

    public string Platform { get; set; } = "linux";

    /// <summary>The json-file driver's log; empty for other drivers, as Docker's.</summary>
    public string LogPath { get; set; } = "";

    public ContainerHostConfig HostConfig { get; set; } = new();

    public ContainerConfigInfo Config { get; set; } = new();

    public ContainerNetworkSettings NetworkSettings { get; set; } = new();

    public List<MountPointContract> Mounts { get; set; } = [];
}

public sealed class ContainerStateInfo
{
    public string Status { get; set; } = "";

    public bool Running { get; set; }

    public bool Paused { get; set; }

    public bool Restarting { get; set; }

    public bool OOMKilled { get; set; }

    public bool Dead { get; set; }

    public int Pid { get; set; }

    public int ExitCode { get; set; }

    public string Error { get; set; } = "";

    public string StartedAt { get; set; } = "0001-01-01T00:00:00Z";

    public string FinishedAt { get; set; } = "0001-01-01T00:00:00Z";

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ContainerHealth? Health { get; set; }
}

public sealed partial class ContainerConfigInfo
{
    public string Hostname { get; set; } = "";

    public string User { get; set; } = "";

    public bool Tty { get; set; }

    public List<string> Env { get; set; } = [];

    public List<string>? Cmd { get; set; }

    public string Image { get; set; } = "";

    public string WorkingDir { get; set; } = "";

    public List<string>? Entrypoint { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    public bool AttachStdin { get; set; }

    public bool AttachStdout { get; set; }

    public bool AttachStderr { get; set; }

    public bool OpenStdin { get; set; }

    public bool StdinOnce { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public HealthcheckConfig? Healthcheck { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, EmptyObjectContract>? ExposedPorts { get; set; }
}

public sealed class ContainerNetworkSettings
{
    public string SandboxKey { get; set; } = "";

    public Dictionary<string, List<PortBindingContract>?> Ports { get; set; } = [];

    public string IPAddress { get; set; } = "";

    public int IPPrefixLen { get; set; }

    public string Gateway { get; set; } = "";

    public string MacAddress { get; set; } = "";

    public Dictionary<string, EndpointSettings> Networks { get; set; } = [];
}

/// <summary>One line of an image create (import or pull) progress stream.</summary>
public sealed class ProgressMessage
{
    [System.Text.Json.Serialization.JsonPropertyName("status")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("id")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("error")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("errorDetail")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ErrorResponse? ErrorDetail { get; set; }
}
