using System.Collections.Immutable;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Linux.Namespaces;
using Berth.Runtime.Containers.Oci;
using Berth.Runtime.Users;

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

    /// <summary>Where <c>--init</c>'s binary is bound in the container, and run as PID 1 (moby's <c>inContainerInitPath</c>).</summary>
    public const string InitPath = "/sbin/docker-init";

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

    /// <summary>
    /// The config for <paramref name="spec"/> with its rootfs at <paramref name="paths"/>.Rootfs (names in --user are looked up there);
    /// with <paramref name="userNamespace"/>, in a new user namespace of that mapping (berthd's <c>--userns-remap</c>).
    /// </summary>
    public static OciSpec Build(ContainerSpec spec, ContainerPaths paths, IdentityMapping? userNamespace = null)
    {
        ImmutableArray<string> args = spec.Init is null ? ResolveArgs(spec) : [InitPath, "--", .. ResolveArgs(spec)];
        ImmutableArray<string> capabilities = CapabilitiesOf(spec);
        string hostname = spec.HostUts ? "" : spec.Hostname;
        var process = new OciProcess(
            Terminal: spec.Tty,
            User: UserResolver.Resolve(spec.User, paths.Rootfs, spec.GroupAdd),
            Args: args,
            Env: ResolveEnv(spec),
            Cwd: string.IsNullOrEmpty(spec.WorkingDir) ? "/" : spec.WorkingDir,
            Capabilities: new OciCapabilities(capabilities, capabilities, capabilities),
            Rlimits: Rlimits(spec),
            NoNewPrivileges: spec.NoNewPrivileges)
        {
            ConsoleSize = spec is { Tty: true, ConsoleSize: (> 0, > 0) size } ? new OciBox(size.Height, size.Width) : null,
        };

        var (devices, deviceRules) = HostDevices.Resolve(spec.Devices);
        ImmutableArray<OciDeviceCgroup> rules = [.. deviceRules, .. spec.DeviceCgroupRules.Select(DeviceCgroupRule.Parse)];
        OciResources? resources = spec.Resources.ToOci();
        if (!rules.IsEmpty)
        {
            resources = (resources ?? new OciResources(null, null, null)) with { Devices = rules };
        }

        ImmutableArray<OciNamespace> namespaces = userNamespace is null ? NamespacesOf(spec) : [new("user", spec.UserNamespacePath), .. NamespacesOf(spec)];
        var linux = spec.Privileged
            ? new OciLinux(namespaces, [], [], Resources: resources)
            : new OciLinux(namespaces, MaskedPaths, ReadonlyPaths, spec.Seccomp ? SeccompProfile.Default(capabilities) : null, resources);
        if (!spec.Sysctls.IsEmpty)
        {
            linux = linux with { Sysctl = spec.Sysctls };
        }

        if (userNamespace is not null)
        {
            linux = linux with { UidMappings = [.. userNamespace.Uids.Select(ToOci)], GidMappings = [.. userNamespace.Gids.Select(ToOci)] };
        }

        return new OciSpec(
            OciVersion,
            process,
            new OciRoot(paths.Rootfs, spec.ReadOnlyRootfs),
            string.IsNullOrEmpty(hostname) ? null : hostname,
            [.. DefaultMounts(spec), .. BerthFiles(paths), .. UserMounts(spec), .. InitMount(spec)],
            spec.Labels.IsEmpty ? null : spec.Labels,
            devices.Count == 0 ? linux : linux with { Devices = [.. devices] });
    }

    /// <summary>
    /// The namespaces runc makes or joins: mount and cgroup always new; network new, Berth's by path, or the host's
    /// (no entry) with <c>--network host</c>; PID, IPC and UTS as <c>--pid</c>, <c>--ipc</c>, <c>--uts</c> say.
    /// </summary>
    private static ImmutableArray<OciNamespace> NamespacesOf(ContainerSpec spec)
    {
        var namespaces = ImmutableArray.CreateBuilder<OciNamespace>();
        AddShared(namespaces, "pid", spec.Pid);
        AddShared(namespaces, "ipc", spec.Ipc);
        if (!spec.HostUts)
        {
            namespaces.Add(new("uts"));
        }

        namespaces.Add(new("mount"));
        if (!spec.HostNetwork)
        {
            namespaces.Add(new("network", spec.NetworkNamespacePath));
        }

        namespaces.Add(new("cgroup"));
        return namespaces.ToImmutable();
    }

    private static OciIdMapping ToOci(IdRange range) => new(range.ContainerId, range.HostId, range.Size);

    private static void AddShared(ImmutableArray<OciNamespace>.Builder namespaces, string type, NamespaceShare share)
    {
        switch (share.Kind)
        {
            case NamespaceShareKind.Host:
                break;
            case NamespaceShareKind.Join:
                namespaces.Add(new(type, share.Path));
                break;
            default:
                namespaces.Add(new(type));
                break;
        }
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

    /// <summary>
    /// Docker's default mounts (moby oci/defaults.go DefaultLinuxSpec). /dev/shm is the shared IPC namespace's
    /// (bound from <see cref="ContainerSpec.ShmSource"/>), none with <c>--ipc none</c>, else a fresh tmpfs of <c>--shm-size</c>
    /// (64 MiB when not given). mqueue shows the queues of the IPC namespace the process is in, whichever that is.
    /// </summary>
    private static IEnumerable<OciMount> DefaultMounts(ContainerSpec spec)
    {
        bool privileged = spec.Privileged;
        yield return new("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]);
        yield return new("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", TmpfsSize]);
        yield return new("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]);
        yield return new("/sys", "sysfs", "sysfs", privileged ? ["nosuid", "noexec", "nodev"] : ["nosuid", "noexec", "nodev", "ro"]);

        yield return new("/sys/fs/cgroup", "cgroup", "cgroup", [privileged ? "rw" : "ro", "nosuid", "noexec", "nodev"]);
        yield return new("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]);
        if (spec.ShmSource is { } shared)
        {
            yield return new("/dev/shm", "bind", shared, ["rbind", "rprivate"]);
        }
        else if (spec.Ipc.Kind != NamespaceShareKind.None)
        {
            yield return new("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", spec.ShmSize > 0 ? "size=" + spec.ShmSize.ToString(System.Globalization.CultureInfo.InvariantCulture) : TmpfsSize]);
        }
    }

    /// <summary>Binds and tmpfs mounts together, parents before children (a bind inside a tmpfs goes after it); the sort is stable.</summary>
    private static IEnumerable<OciMount> UserMounts(ContainerSpec spec) =>
        spec.Binds.Select(ToMount).Concat(spec.Tmpfs.Select(ToMount)).OrderBy(m => m.Destination.TrimEnd('/').Count(c => c == '/'));

    private static IEnumerable<OciMount> InitMount(ContainerSpec spec) =>
        spec.Init is { } init ? [new(InitPath, "bind", init, ["bind", "ro"])] : [];

    private static OciMount ToMount(TmpfsMount tmpfs) => new(tmpfs.Destination, "tmpfs", "tmpfs", tmpfs.Options);

    private static IEnumerable<OciMount> BerthFiles(ContainerPaths paths) =>
    [
        new("/etc/resolv.conf", "bind", paths.ResolvConf, ["rbind", "rprivate"]),
        new("/etc/hostname", "bind", paths.Hostname, ["rbind", "rprivate"]),
        new("/etc/hosts", "bind", paths.Hosts, ["rbind", "rprivate"]),
    ];

    private static OciMount ToMount(BindMount bind) =>
        new(bind.Destination, "bind", bind.Source, bind.ReadOnly ? ["rbind", "rprivate", "ro"] : ["rbind", "rprivate"]);
}
