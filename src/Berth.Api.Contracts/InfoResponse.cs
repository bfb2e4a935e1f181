namespace Berth.Api.Contracts;

/// <summary><c>GET /info</c>: the fields clients read.</summary>
public sealed class InfoResponse
{
    public string ID { get; set; } = "";

    public int Containers { get; set; }

    public int ContainersRunning { get; set; }

    public int ContainersPaused { get; set; }

    public int ContainersStopped { get; set; }

    public int Images { get; set; }

    public string Driver { get; set; } = "overlay2";

    public string KernelVersion { get; set; } = "";

    public string OperatingSystem { get; set; } = "";

    public string OSType { get; set; } = "linux";

    public string Architecture { get; set; } = "x86_64";

    public int NCPU { get; set; }

    public long MemTotal { get; set; }

    public string Name { get; set; } = "";

    public string ServerVersion { get; set; } = "";

    public string DockerRootDir { get; set; } = "";

    public bool ExperimentalBuild { get; set; }

    public string CgroupDriver { get; set; } = "cgroupfs";

    public string CgroupVersion { get; set; } = "2";

    public InfoPlugins Plugins { get; set; } = new();

    /// <summary>The OCI runtimes containers may choose (<c>docker run --runtime</c>), by name.</summary>
    public Dictionary<string, RuntimeInfo> Runtimes { get; set; } = [];

    public string DefaultRuntime { get; set; } = "runc";

    /// <summary>The daemon's default log driver (<c>berthd --log-driver</c>).</summary>
    public string LoggingDriver { get; set; } = "json-file";

    public SwarmInfo Swarm { get; set; } = new();

    /// <summary>Which registries are reached over plain HTTP (berthd's <c>--insecure-registry</c>).</summary>
    public RegistryServiceConfig? RegistryConfig { get; set; }

    /// <summary>moby's <c>name=KEY[,OPT=VALUE]</c> strings: <c>name=seccomp,profile=builtin</c>, <c>name=cgroupns</c>, <c>name=userns</c> when the daemon remaps.</summary>
    public List<string> SecurityOptions { get; set; } = [];

    public List<string> Warnings { get; set; } = [];
}

/// <summary>One entry of <c>Runtimes</c> in /info: <c>{"path": "/usr/bin/crun"}</c>.</summary>
public sealed class RuntimeInfo
{
    [System.Text.Json.Serialization.JsonPropertyName("path")]
    public string Path { get; set; } = "";
}

public sealed class InfoPlugins
{
    public List<string> Volume { get; set; } = ["local"];

    public List<string> Network { get; set; } = ["bridge", "host", "macvlan", "null"];

    public List<string>? Authorization { get; set; }

    /// <summary>The log drivers Berth has (Docker lists its built-in ones the same way).</summary>
    public List<string> Log { get; set; } = ["json-file", "local", "none"];
}
