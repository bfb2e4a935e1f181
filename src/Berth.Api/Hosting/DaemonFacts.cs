using System.Runtime.InteropServices;
using Berth.Runtime.Containers;

namespace Berth.Api.Hosting;

/// <summary>What <c>GET /version</c> and <c>GET /info</c> report about this daemon and its host.</summary>
public sealed record DaemonFacts
{
    /// <summary>
    /// Berth's engine version as clients see it (<c>Server: Docker/27.0.0-berth (linux)</c>, <c>Version</c>).
    /// A semver a Docker 27 engine would carry, so tools that compare engine versions treat Berth as a
    /// modern engine; the <c>-berth</c> pre-release tag names the implementation.
    /// </summary>
    public const string DefaultVersion = "27.0.0-berth";

    public string Version { get; init; } = DefaultVersion;

    public string GitCommit { get; init; } = "unknown";

    /// <summary>Shown as <c>Platform.Name</c> by <c>docker version</c>.</summary>
    public string PlatformName { get; init; } = "Berth Engine";

    /// <summary>The state directory (<c>DockerRootDir</c>).</summary>
    public string RootDir { get; init; } = "/var/lib/berth";

    public string HostName { get; init; } = Environment.MachineName;

    /// <summary>A stable daemon identity (<c>ID</c> in /info).</summary>
    public string DaemonId { get; init; } = "";

    public string KernelVersion { get; init; } = "";

    /// <summary>The distribution's name (<c>PRETTY_NAME</c> of os-release).</summary>
    public string OperatingSystem { get; init; } = "";

    public int CpuCount { get; init; } = Environment.ProcessorCount;

    public long MemoryBytes { get; init; }

    /// <summary>The OCI runtimes containers may choose, and the default (<c>Runtimes</c>, <c>DefaultRuntime</c> in /info).</summary>
    public OciRuntimes Runtimes { get; init; } = OciRuntimes.RuncOnly;

    /// <summary>The default log driver containers get (<c>LoggingDriver</c> in /info).</summary>
    public string LoggingDriver { get; init; } = "json-file";

    /// <summary>The registries reached over plain HTTP: CIDRs (127.0.0.0/8 and berthd's <c>--insecure-registry</c> ones) and names.</summary>
    public IReadOnlyList<string> InsecureRegistryCidrs { get; init; } = ["127.0.0.0/8"];

    public IReadOnlyList<string> InsecureRegistryNames { get; init; } = [];

    /// <summary>Whether containers run in user namespaces (berthd's <c>--userns-remap</c>): <c>name=userns</c> in /info's security options.</summary>
    public bool UsernsRemap { get; init; }

    /// <summary>moby's security options as /info lists them (<c>daemon/info.go</c>): the default seccomp profile, cgroup namespaces, user namespaces.</summary>
    public IReadOnlyList<string> SecurityOptions =>
        UsernsRemap ? ["name=seccomp,profile=builtin", "name=cgroupns", "name=userns"] : ["name=seccomp,profile=builtin", "name=cgroupns"];

    /// <summary>Reads kernel version, distribution, CPU count and memory from /proc and /etc; cheap (a few small files).</summary>
    public static DaemonFacts Detect(string rootDir, string daemonId, string version = DefaultVersion, string gitCommit = "unknown") => new()
    {
        Version = version,
        GitCommit = gitCommit,
        RootDir = rootDir,
        DaemonId = daemonId,
        KernelVersion = ReadFirstLine("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
        OperatingSystem = ReadOsRelease() ?? RuntimeInformation.OSDescription,
        MemoryBytes = ReadMemTotal(),
    };

    private static string? ReadFirstLine(string path)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault()?.Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadOsRelease()
    {
        const string Key = "PRETTY_NAME=";
        try
        {
            string? line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith(Key, StringComparison.Ordinal));
            return line?[Key.Length..].Trim('"');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long ReadMemTotal()
    {
        const long BytesPerKibibyte = 1024; // /proc/meminfo reports kB (KiB)
        try
        {
            string? line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            string[]? parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts is { Length: >= 2 } && long.TryParse(parts[1], out long kib) ? kib * BytesPerKibibyte : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
