using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Containers;

public sealed class OciSpecBuilderTests
{
    private static readonly ContainerPaths Paths = new("/var/lib/berth/containers/c1");

    private static ContainerSpec Spec(params string[] cmd) => new()
    {
        Id = "c1",
        Layers = ["/layers/a"],
        Cmd = [.. cmd],
    };

    [Fact]
    public void MinimalSpecMatchesDockersDefaults()
    {
        // The seccomp filter has a test of its own below.
        string json = OciSpecBuilder.Serialize(OciSpecBuilder.Build(Spec("sh") with { Seccomp = false }, Paths));
        Assert.Equal(Expected.Minimal, json.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ProcessOptionsShapeTheSpec()
    {
        var spec = Spec("sh") with
        {
            Init = "/usr/bin/tini-static",
            Tmpfs = [new TmpfsMount("/scratch", ["noexec", "size=1m"])],
            Pid = NamespaceShare.Host,
            Ipc = NamespaceShare.Join("/proc/42/ns/ipc"),
            ShmSource = "/var/lib/berth/containers/donor/shm",
            HostUts = true,
            Hostname = "ignored",
            DeviceCgroupRules = ["c 42:* rwm"],
            Devices = [new DeviceMapping("/dev/null", "/dev/mynull", "rw")],
        };
        var json = JsonNode.Parse(OciSpecBuilder.Serialize(OciSpecBuilder.Build(spec, Paths)))!;
        Assert.Equal(["/sbin/docker-init", "--", "sh"], json["process"]!["args"]!.AsArray().Select(a => (string?)a));
        Assert.Null(json["hostname"]);
        var namespaces = json["linux"]!["namespaces"]!.AsArray().Select(n => ((string?)n!["type"], (string?)n["path"])).ToList();
        Assert.Equal([("ipc", "/proc/42/ns/ipc"), ("mount", null), ("network", null), ("cgroup", null)], namespaces);
        var mounts = json["mounts"]!.AsArray().ToDictionary(m => (string)m!["destination"]!, m => m!);
        Assert.Equal(("bind", "/var/lib/berth/containers/donor/shm"), ((string?)mounts["/dev/shm"]["type"], (string?)mounts["/dev/shm"]["source"]));
        Assert.Equal(("tmpfs", "noexec,size=1m"), ((string?)mounts["/scratch"]["type"], string.Join(',', mounts["/scratch"]["options"]!.AsArray().Select(o => (string?)o))));
        Assert.Equal(("bind", "/usr/bin/tini-static"), ((string?)mounts["/sbin/docker-init"]["type"], (string?)mounts["/sbin/docker-init"]["source"]));
        var device = json["linux"]!["devices"]![0]!;
        Assert.Equal(("/dev/mynull", "c", 1, 3), ((string?)device["path"], (string?)device["type"], (int)device["major"]!, (int)device["minor"]!));
        var rules = json["linux"]!["resources"]!["devices"]!.AsArray();
        Assert.Equal([("c", 1, 3, "rw"), ("c", 42, -1, "rwm")], rules.Select(r => ((string?)r!["type"], (int)r["major"]!, (int?)r["minor"] ?? -1, (string?)r["access"])));

        var none = JsonNode.Parse(OciSpecBuilder.Serialize(OciSpecBuilder.Build(Spec("sh") with { Ipc = NamespaceShare.None }, Paths)))!;
        Assert.DoesNotContain(none["mounts"]!.AsArray(), m => (string?)m!["destination"] == "/dev/shm");
        Assert.Null(none["linux"]!["devices"]);
    }

    [Fact]
    public void DefaultSeccompFilterDeniesDockersDeniedSyscallsAndCloneNamespaceFlags()
    {
        var linux = JsonNode.Parse(OciSpecBuilder.Serialize(OciSpecBuilder.Build(Spec("sh"), Paths)))!["linux"]!;
        var seccomp = linux["seccomp"]!;
        Assert.Equal("SCMP_ACT_ALLOW", (string?)seccomp["defaultAction"]);
        var rules = seccomp["syscalls"]!.AsArray();
        var denied = rules[0]!;
        Assert.Equal(("SCMP_ACT_ERRNO", 1u), ((string?)denied["action"], (uint?)denied["errnoRet"]));
        var names = denied["names"]!.AsArray().Select(n => (string?)n).ToList();
        Assert.Contains("unshare", names);
        Assert.Contains("keyctl", names);
        Assert.Contains("kexec_load", names);
        Assert.DoesNotContain("ptrace", names);
        Assert.Equal(("clone3", 38u), ((string?)rules[1]!["names"]![0], (uint?)rules[1]!["errnoRet"]));

        // clone: one masked-equal rule per namespace flag, CLONE_NEWUSER (0x10000000) among them.
        var clone = rules.Skip(2).Select(r => r!["args"]![0]!).ToList();
        Assert.Equal(7, clone.Count);
        Assert.All(clone, a => Assert.Equal("SCMP_CMP_MASKED_EQ", (string?)a["op"]));
        Assert.Contains(clone, a => (ulong?)a["value"] == 0x10000000 && (ulong?)a["valueTwo"] == 0x10000000);
    }

    [Fact]
    public void UnconfinedHasNoSeccompSection()
    {
        var linux = JsonNode.Parse(OciSpecBuilder.Serialize(OciSpecBuilder.Build(Spec("sh") with { Seccomp = false }, Paths)))!["linux"]!;
        Assert.Null(linux["seccomp"]);
    }

    [Fact]
    public void RepresentativeSpecCarriesEverySetting()
    {
        ContainerSpec spec = Spec("-c", "echo hi") with
        {
            Seccomp = false,
            Entrypoint = ["/bin/sh"],
            Env = ["FOO=bar", "PATH=/custom/bin"],
            WorkingDir = "/srv",
            User = "1000:1001",
            Tty = true,
            Hostname = "web1",
            Labels = ImmutableSortedDictionary.CreateRange(new Dictionary<string, string> { ["com.example.role"] = "web", ["a"] = "b" }),
            Binds = [BindMount.Parse("/data:/data:ro"), BindMount.Parse("/cache:/cache")],
            NetworkNamespacePath = "/run/berth/netns/c1",
            ReadOnlyRootfs = true,
        };
        JsonNode root = JsonNode.Parse(OciSpecBuilder.Serialize(OciSpecBuilder.Build(spec, Paths)))!;
        JsonNode process = root["process"]!;
        Assert.Equal("""["/bin/sh","-c","echo hi"]""", process["args"]!.ToJsonString());
        Assert.Equal("""["HOSTNAME=web1","TERM=xterm","FOO=bar","PATH=/custom/bin"]""", process["env"]!.ToJsonString());
        Assert.Equal("/srv", (string?)process["cwd"]);
        Assert.Equal("""{"uid":1000,"gid":1001,"additionalGids":[1001]}""", process["user"]!.ToJsonString());
        Assert.True((bool)process["terminal"]!);
        Assert.Equal("web1", (string?)root["hostname"]);
        Assert.Equal("""{"a":"b","com.example.role":"web"}""", root["annotations"]!.ToJsonString());
        Assert.Equal("""{"path":"/var/lib/berth/containers/c1/rootfs","readonly":true}""", root["root"]!.ToJsonString());
        Assert.Equal("""{"type":"network","path":"/run/berth/netns/c1"}""", root["linux"]!["namespaces"]![4]!.ToJsonString());
        JsonArray mounts = root["mounts"]!.AsArray();
        Assert.Equal("""{"destination":"/data","type":"bind","source":"/data","options":["rbind","rprivate","ro"]}""", mounts[^2]!.ToJsonString());
        Assert.Equal("""{"destination":"/cache","type":"bind","source":"/cache","options":["rbind","rprivate"]}""", mounts[^1]!.ToJsonString());
    }

    [Fact]
    public void ArgsFollowDockersEntrypointAndCmdRule()
    {
        Assert.Equal<string>(["top", "-b"], OciSpecBuilder.ResolveArgs(Spec("top", "-b")));
        Assert.Equal<string>(["/entry", "x"], OciSpecBuilder.ResolveArgs(Spec("x") with { Entrypoint = ["/entry"] }));
        Assert.Equal<string>(["/entry"], OciSpecBuilder.ResolveArgs(Spec() with { Entrypoint = ["/entry"] }));
        var error = Assert.Throws<BerthException>(() => OciSpecBuilder.ResolveArgs(Spec()));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void RequestEnvReplacesDefaultsByKey()
    {
        ImmutableArray<string> env = OciSpecBuilder.ResolveEnv(Spec("sh") with { Hostname = "h", Env = ["HOSTNAME=mine", "A=1", "A=2"] });
        Assert.Equal<string>(["PATH=" + OciSpecBuilder.DefaultPath, "HOSTNAME=mine", "A=2"], env);
    }

    private static class Expected
    {
        public const string Minimal = """
            {
              "ociVersion": "1.0.2",
              "process": {
                "terminal": false,
                "user": {
                  "uid": 0,
                  "gid": 0,
                  "additionalGids": [
                    0
                  ]
                },
                "args": [
                  "sh"
                ],
                "env": [
                  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                ],
                "cwd": "/",
                "capabilities": {
                  "bounding": [
                    "CAP_CHOWN",
                    "CAP_DAC_OVERRIDE",
                    "CAP_FSETID",
                    "CAP_FOWNER",
                    "CAP_MKNOD",
                    "CAP_NET_RAW",
                    "CAP_SETGID",
                    "CAP_SETUID",
                    "CAP_SETFCAP",
                    "CAP_SETPCAP",
                    "CAP_NET_BIND_SERVICE",
                    "CAP_SYS_CHROOT",
                    "CAP_KILL",
                    "CAP_AUDIT_WRITE"
                  ],
                  "effective": [
                    "CAP_CHOWN",
                    "CAP_DAC_OVERRIDE",
                    "CAP_FSETID",
                    "CAP_FOWNER",
                    "CAP_MKNOD",
                    "CAP_NET_RAW",
                    "CAP_SETGID",
                    "CAP_SETUID",
                    "CAP_SETFCAP",
                    "CAP_SETPCAP",
                    "CAP_NET_BIND_SERVICE",
                    "CAP_SYS_CHROOT",
                    "CAP_KILL",
                    "CAP_AUDIT_WRITE"
                  ],
                  "permitted": [
                    "CAP_CHOWN",
                    "CAP_DAC_OVERRIDE",
                    "CAP_FSETID",
                    "CAP_FOWNER",
                    "CAP_MKNOD",
                    "CAP_NET_RAW",
                    "CAP_SETGID",
                    "CAP_SETUID",
                    "CAP_SETFCAP",
                    "CAP_SETPCAP",
                    "CAP_NET_BIND_SERVICE",
                    "CAP_SYS_CHROOT",
                    "CAP_KILL",
                    "CAP_AUDIT_WRITE"
                  ]
                },
                "rlimits": [
                  {
                    "type": "RLIMIT_NOFILE",
                    "hard": 1048576,
                    "soft": 1048576
                  }
                ],
                "noNewPrivileges": false
              },
              "root": {
                "path": "/var/lib/berth/containers/c1/rootfs",
                "readonly": false
              },
              "mounts": [
                {
                  "destination": "/proc",
                  "type": "proc",
                  "source": "proc",
                  "options": [
                    "nosuid",
                    "noexec",
                    "nodev"
                  ]
                },
                {
                  "destination": "/dev",
                  "type": "tmpfs",
                  "source": "tmpfs",
                  "options": [
                    "nosuid",
                    "strictatime",
                    "mode=755",
                    "size=65536k"
                  ]
                },
                {
                  "destination": "/dev/pts",
                  "type": "devpts",
                  "source": "devpts",
                  "options": [
                    "nosuid",
                    "noexec",
                    "newinstance",
                    "ptmxmode=0666",
                    "mode=0620",
                    "gid=5"
                  ]
                },
                {
                  "destination": "/sys",
                  "type": "sysfs",
                  "source": "sysfs",
                  "options": [
                    "nosuid",
                    "noexec",
                    "nodev",
                    "ro"
                  ]
                },
                {
                  "destination": "/sys/fs/cgroup",
                  "type": "cgroup",
                  "source": "cgroup",
                  "options": [
                    "ro",
                    "nosuid",
                    "noexec",
                    "nodev"
                  ]
                },
                {
                  "destination": "/dev/mqueue",
                  "type": "mqueue",
                  "source": "mqueue",
                  "options": [
                    "nosuid",
                    "noexec",
                    "nodev"
                  ]
                },
                {
                  "destination": "/dev/shm",
                  "type": "tmpfs",
                  "source": "shm",
                  "options": [
                    "nosuid",
                    "noexec",
                    "nodev",
                    "mode=1777",
                    "size=65536k"
                  ]
                },
                {
                  "destination": "/etc/resolv.conf",
                  "type": "bind",
                  "source": "/var/lib/berth/containers/c1/resolv.conf",
                  "options": [
                    "rbind",
                    "rprivate"
                  ]
                },
                {
                  "destination": "/etc/hostname",
                  "type": "bind",
                  "source": "/var/lib/berth/containers/c1/hostname",
                  "options": [
                    "rbind",
                    "rprivate"
                  ]
                },
                {
                  "destination": "/etc/hosts",
                  "type": "bind",
                  "source": "/var/lib/berth/containers/c1/hosts",
                  "options": [
                    "rbind",
                    "rprivate"
                  ]
                }
              ],
              "linux": {
                "namespaces": [
                  {
                    "type": "pid"
                  },
                  {
                    "type": "ipc"
                  },
                  {
                    "type": "uts"
                  },
                  {
                    "type": "mount"
                  },
                  {
                    "type": "network"
                  },
                  {
                    "type": "cgroup"
                  }
                ],
                "maskedPaths": [
                  "/proc/asound",
                  "/proc/acpi",
                  "/proc/kcore",
                  "/proc/keys",
                  "/proc/latency_stats",
                  "/proc/timer_list",
                  "/proc/timer_stats",
                  "/proc/sched_debug",
                  "/proc/scsi",
                  "/sys/firmware",
                  "/sys/devices/virtual/powercap"
                ],
                "readonlyPaths": [
                  "/proc/bus",
                  "/proc/fs",
                  "/proc/irq",
                  "/proc/sys",
                  "/proc/sysrq-trigger"
                ]
              }
            }
            """;
    }
}
