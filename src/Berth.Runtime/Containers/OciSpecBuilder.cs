using System.Collections.Immutable;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Containers.Oci;

namespace Berth.Runtime.Containers;

/// <summary>
/// Builds the OCI <c>config.json</c> Docker would give runc for a <see cref="ContainerSpec"/>: Docker's
/// default mounts, capabilities, masked and read-only paths, and Berth's own network namespace by path.
/// The seccomp filter is <see cref="SeccompProfile.Default"/> unless the spec turns it off.
/// </summary>
public static class OciSpecBuilder
{
    /// <summary>runtime-spec version runc 1.1 implements.</summary>
    public const string OciVersion = "1.0.2";

    /// <summary>Docker's PATH when neither the image nor the request sets one (moby oci/defaults.go).</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Docker's default RLIMIT_NOFILE for containers (dockerd's default-ulimits on systemd hosts).</summary>
    public const ulong DefaultNoFile = 1048576;

    /// <summary>Size of /dev and /dev/shm tmpfs: 64 MiB (moby's defaultShmSize, oci/defaults.go).</summary>
    private const string TmpfsSize = "size=65536k";

    /// <summary>Docker's /dev/shm size when <c>--shm-size</c> is not given: 64 MiB (moby daemon/config DefaultShmSize).</summary>
    public const long DefaultShmSize = 64 * 1024 * 1024;

    /// <summary>Docker's default capability set (moby oci/caps/defaults.go).</summary>
    public static readonly ImmutableArray<string> DefaultCapabilities =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    /// <summary>Docker's masked paths (moby oci/defaults.go).</summary>
    public static readonly ImmutableArray<string> MaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    /// <summary>Docker's read-only paths (moby oci/defaults.go).</summary>
    public static readonly ImmutableArray<string> ReadonlyPaths =
    [
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ];

    /// <summary>The config for <paramref name="spec"/> with its rootfs at <paramref name="paths"/>.Rootfs (names in --user are looked up there).</summary>
    public static OciSpec Build(ContainerSpec spec, ContainerPaths paths)
    {
        ImmutableArray<string> args = ResolveArgs(spec);
        ImmutableArray<string> capabilities = CapabilitiesOf(spec);
        string hostname = spec.Hostname;
        var process = new OciProcess(
            Terminal: spec.Tty,
            User: UserResolver.Resolve(spec.User, paths.Rootfs),
            Args: args,
            Env: ResolveEnv(spec),
            Cwd: string.IsNullOrEmpty(spec.WorkingDir) ? "/" : spec.WorkingDir,
            Capabilities: new OciCapabilities(capabilities, capabilities, capabilities),
            Rlimits: Rlimits(spec),
            NoNewPrivileges: spec.NoNewPrivileges)
        {
            ConsoleSize = spec is { Tty: true, ConsoleSize: (> 0, > 0) size } ? new OciBox(size.Height, size.Width) : null,
        };

        // --network host: no network namespace of its own, the process stays in the host's.
        ImmutableArray<OciNamespace> namespaces = spec.HostNetwork
            ? [new("pid"), new("ipc"), new("uts"), new("mount"), new("cgroup")]
            : [new("pid"), new("ipc"), new("uts"), new("mount"), new("network", spec.NetworkNamespacePath), new("cgroup")];

        return new OciSpec(
            OciVersion,
            process,
            new OciRoot(paths.Rootfs, spec.ReadOnlyRootfs),
            string.IsNullOrEmpty(hostname) ? null : hostname,
            [.. DefaultMounts(spec.Privileged, spec.ShmSize), .. BerthFiles(paths), .. spec.Binds.Select(ToMount)],
            spec.Labels.IsEmpty ? null : spec.Labels,
            spec.Privileged
                ? new OciLinux(namespaces, [], [], Resources: spec.Resources.ToOci())
                : new OciLinux(namespaces, MaskedPaths, ReadonlyPaths, spec.Seccomp ? SeccompProfile.Default(capabilities) : null, spec.Resources.ToOci()));
    }

    /// <summary>The process's capabilities: all berthd holds when privileged, else the spec's, else Docker's default set.</summary>
    public static ImmutableArray<string> CapabilitiesOf(ContainerSpec spec) =>
        spec.Privileged ? Capabilities.Bounding() : spec.Capabilities ?? DefaultCapabilities;

    public static string Serialize(OciSpec spec) => JsonSerializer.Serialize(spec, OciJsonContext.Default.OciSpec);

    /// <summary>Docker's rule: Entrypoint followed by Cmd; Cmd alone when there is no Entrypoint.</summary>
    public static ImmutableArray<string> ResolveArgs(ContainerSpec spec)
    {
        ImmutableArray<string> args = [.. spec.Entrypoint, .. spec.Cmd];
        if (args.IsEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"container {spec.Id}: no command specified; give a command or use an image with an entrypoint or cmd");
        }

        return args;
    }

    /// <summary>Docker's order: PATH (default unless set), HOSTNAME, TERM when a TTY, then the spec's env replacing same-named keys.</summary>
    public static ImmutableArray<string> ResolveEnv(ContainerSpec spec)
    {
        var env = new List<string>();
        if (!spec.Env.Any(e => Key(e) == "PATH"))
        {
            env.Add("PATH=" + DefaultPath);
        }

        if (!string.IsNullOrEmpty(spec.Hostname))
        {
            env.Add("HOSTNAME=" + spec.Hostname);
        }

        if (spec.Tty)
        {
            env.Add("TERM=xterm");
        }

        foreach (string entry in spec.Env)
        {
            int existing = env.FindIndex(e => Key(e) == Key(entry));
            if (existing >= 0)
            {
                env[existing] = entry;
            }
            else
            {
                env.Add(entry);
            }
        }

        return [.. env];
    }

    private static string Key(string entry)
    {
        int equals = entry.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? entry : entry[..equals];
    }

    /// <summary>
    /// Docker's default RLIMIT_NOFILE, then each <c>--ulimit</c> (<c>RLIMIT_</c> + its name upper-cased, moby's
    /// setRlimits) replacing a default of the same type.
    /// </summary>
    public static ImmutableArray<OciRlimit> Rlimits(ContainerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var rlimits = new List<OciRlimit> { new("RLIMIT_NOFILE", spec.NoFile ?? DefaultNoFile, spec.NoFile ?? DefaultNoFile) };
        foreach (Ulimit ulimit in spec.Resources.Ulimits)
        {
            string type = "RLIMIT_" + ulimit.Name.ToUpperInvariant();
            rlimits.RemoveAll(r => r.Type == type);
            rlimits.Add(new OciRlimit(type, (ulong)ulimit.Hard, (ulong)ulimit.Soft));
        }

        return [.. rlimits];
    }

    /// <summary>Docker's default mounts (moby oci/defaults.go DefaultLinuxSpec), /dev/shm of <paramref name="shmSize"/> bytes (0: 64 MiB).</summary>
    private static IEnumerable<OciMount> DefaultMounts(bool privileged, long shmSize) =>
    [
        new("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]),
        new("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", TmpfsSize]),
        new("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
        new("/sys", "sysfs", "sysfs", privileged ? ["nosuid", "noexec", "nodev"] : ["nosuid", "noexec", "nodev", "ro"]),
        new("/sys/fs/cgroup", "cgroup", "cgroup", [privileged ? "rw" : "ro", "nosuid", "noexec", "nodev"]),
        new("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
        new("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", shmSize > 0 ? "size=" + shmSize.ToString(System.Globalization.CultureInfo.InvariantCulture) : TmpfsSize]),
    ];

    private static IEnumerable<OciMount> BerthFiles(ContainerPaths paths) =>
    [
        new("/etc/resolv.conf", "bind", paths.ResolvConf, ["rbind", "rprivate"]),
        new("/etc/hostname", "bind", paths.Hostname, ["rbind", "rprivate"]),
        new("/etc/hosts", "bind", paths.Hosts, ["rbind", "rprivate"]),
    ];

    private static OciMount ToMount(BindMount bind) =>
        new(bind.Destination, "bind", bind.Source, bind.ReadOnly ? ["rbind", "rprivate", "ro"] : ["rbind", "rprivate"]);
}
