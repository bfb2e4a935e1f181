using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Engine;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Engine;

public sealed class ProcessOptionRulesTests
{
    private static readonly ContainerCreateSpec Spec = new() { Image = "bb" };

    [Theory]
    [InlineData("SIGUSR1", 10)]
    [InlineData("usr1", 10)]
    [InlineData("9", 9)]
    [InlineData("64", 64)]
    [InlineData("TERM", 15)]
    public void SignalsAreNamesOrNumbersAsMobyParsesThem(string signal, int number) => Assert.Equal(number, Signals.TryNumber(signal));

    [Theory]
    [InlineData("SIGNOPE")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("-1")]
    public void OtherSignalsAreRefused(string signal) =>
        Assert.Equal($"Invalid signal: {signal}", Assert.Throws<BerthException>(() => ProcessOptionRules.Validate(Spec with { StopSignal = signal }, null)).Message);

    [Fact]
    public void TheStopSignalIsTheRequestsElseTheImages()
    {
        var image = new ContainerConfig { StopSignal = "SIGQUIT" };
        Assert.Equal("SIGQUIT", ProcessOptionRules.Validate(Spec, image).StopSignal);
        Assert.Equal("SIGINT", ProcessOptionRules.Validate(Spec with { StopSignal = "SIGINT" }, image).StopSignal);
        Assert.Null(ProcessOptionRules.Validate(Spec, null).StopSignal);
    }

    [Fact]
    public void StopTimeoutsAreSecondsOrForever()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), ContainerLifecycle.StopTimeoutOf(Spec));
        Assert.Equal(TimeSpan.FromSeconds(3), ContainerLifecycle.StopTimeoutOf(Spec with { StopTimeout = 3 }));
        Assert.Equal(Timeout.InfiniteTimeSpan, ContainerLifecycle.StopTimeoutOf(Spec with { StopTimeout = -1 }));
        Assert.Throws<BerthException>(() => ProcessOptionRules.Validate(Spec with { StopTimeout = -2 }, null));
    }

    [Theory]
    [InlineData("", "noexec,nosuid,nodev")]
    [InlineData("size=1m,mode=1770", "noexec,nosuid,nodev,size=1m,mode=1770")]
    [InlineData("exec", "nosuid,nodev,exec")]
    [InlineData("size=1m,size=2m,ro", "noexec,nosuid,nodev,size=2m,ro")]
    [InlineData("rw,ro", "noexec,nosuid,nodev,ro")]
    public void TmpfsOptionsMergeAsMobysDo(string data, string expected) =>
        Assert.Equal(expected, string.Join(',', TmpfsOptions.Mount("/t", data).Options));

    [Theory]
    [InlineData("relative", "", "must be absolute")]
    [InlineData("/t", "bogus", "invalid tmpfs option \"bogus\"")]
    [InlineData("/t", "colour=red", "invalid tmpfs option \"colour=red\"")]
    public void BadTmpfsMountsAreRefused(string destination, string data, string message) =>
        Assert.Contains(message, Assert.Throws<BerthException>(() => TmpfsOptions.Mount(destination, data)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("", "", "", "", "private", "")]
    [InlineData("host", "host", "host", "host", "host", "host")]
    [InlineData("container:db", "shareable", "", "container:db", "shareable", "")]
    [InlineData("", "container:db", "", "", "container:db", "")]
    [InlineData("", "none", "", "", "none", "")]
    public void NamespaceModesAreMobys(string pid, string ipc, string uts, string expectedPid, string expectedIpc, string expectedUts)
    {
        var modes = NamespaceModes.Validate(pid, ipc, uts, hostname: null);
        Assert.Equal((expectedPid, expectedIpc, expectedUts), (modes.Pid, modes.Ipc, modes.Uts));
    }

    [Theory]
    [InlineData("bogus", "", "", "invalid PID mode: bogus")]
    [InlineData("container:", "", "", "invalid PID mode: container:")]
    [InlineData("", "sometimes", "", "invalid IPC mode: sometimes")]
    [InlineData("", "", "private", "invalid UTS mode: private")]
    public void BadNamespaceModesAreRefused(string pid, string ipc, string uts, string message) =>
        Assert.StartsWith(message, Assert.Throws<BerthException>(() => NamespaceModes.Validate(pid, ipc, uts, null)).Message, StringComparison.Ordinal);

    [Fact]
    public void TheHostsUtsNamespaceAndAHostnameConflict() =>
        Assert.Equal("conflicting options: hostname and the UTS mode", Assert.Throws<BerthException>(() => NamespaceModes.Validate("", "", "host", "web")).Message);

    [Theory]
    [InlineData("c 1:3 mr", "c", 1L, 3L, "mr")]
    [InlineData("b 8:* rw", "b", 8L, null, "rw")]
    [InlineData("a *:* rwm", "a", null, null, "rwm")]
    public void DeviceCgroupRulesParse(string rule, string type, long? major, long? minor, string access)
    {
        var parsed = DeviceCgroupRule.Parse(rule);
        Assert.Equal((true, type, major, minor, access), (parsed.Allow, parsed.Type, parsed.Major, parsed.Minor, parsed.Access));
    }

    [Theory]
    [InlineData("x 1:3 r")]
    [InlineData("c 1:3")]
    [InlineData("c 1 r")]
    [InlineData("c 1:3 rx")]
    public void MalformedDeviceCgroupRulesAreRefused(string rule) =>
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => DeviceCgroupRule.Parse(rule)).Kind);

    [Fact]
    public void DevicesMustExistAndHaveValidPermissions()
    {
        Assert.Contains("error gathering device information while adding custom device \"/dev/berth-none\"",
            Assert.Throws<BerthException>(() => ProcessOptionRules.Validate(Spec with { Devices = [new("/dev/berth-none", "/dev/x", "rwm")] }, null)).Message, StringComparison.Ordinal);
        Assert.Contains("not a device node",
            Assert.Throws<BerthException>(() => HostDevices.Resolve([new("/etc/hostname", "/dev/x", "rwm")])).Message, StringComparison.Ordinal);
        Assert.Throws<BerthException>(() => ProcessOptionRules.Validate(Spec with { Devices = [new("/dev/null", "/dev/x", "rwx")] }, null));
        var (nodes, rules) = HostDevices.Resolve([new("/dev/null", "/dev/mynull", "r")]);
        Assert.Equal(("/dev/mynull", "c", 1L, 3L), (nodes[0].Path, nodes[0].Type, nodes[0].Major, nodes[0].Minor));
        Assert.Equal(("c", 1L, 3L, "r"), (rules[0].Type, rules[0].Major, rules[0].Minor, rules[0].Access));
    }

    [Fact]
    public void VolumesFromCopiesTheDonorsMountsWithTheModeAsked()
    {
        var donor = new ContainerRecord
        {
            Id = Core.Containers.ContainerId.New(),
            Name = "donor",
            Created = DateTimeOffset.UnixEpoch,
            Spec = Spec,
            ImageId = "sha256:x",
            Mounts =
            [
                new MountPoint { Type = MountSpec.VolumeType, Name = "data", Source = "/v/data", Destination = "/data", Anonymous = true },
                new MountPoint { Type = MountSpec.BindType, Source = "/srv", Destination = "/srv", RW = false },
            ],
        };
        ContainerRecord Find(string name) => name == "donor" ? donor : throw new BerthException(ErrorKind.NotFound, $"No such container: {name}");

        var inherited = VolumesFrom.Inherit(["donor"], Find);
        Assert.Equal([("/data", true, false), ("/srv", false, false)], inherited.Select(m => (m.Destination, m.RW, m.Anonymous)));
        Assert.All(VolumesFrom.Inherit(["donor:rw"], Find), m => Assert.True(m.RW));
        Assert.All(VolumesFrom.Inherit(["donor:ro"], Find), m => Assert.False(m.RW));

        ImmutableArray<MountPoint> own = [new MountPoint { Type = MountSpec.BindType, Source = "/mine", Destination = "/data" }];
        Assert.Equal(["/mine", "/srv"], VolumesFrom.Merge(own, inherited).Select(m => m.Source));

        var missing = Assert.Throws<BerthException>(() => VolumesFrom.Inherit(["ghost"], Find));
        Assert.Equal((ErrorKind.InvalidArgument, "--volumes-from ghost: No such container: ghost; name a container that exists"), (missing.Kind, missing.Message));
        Assert.Contains("invalid mode for volumes-from: rx", Assert.Throws<BerthException>(() => VolumesFrom.Inherit(["donor:rx"], Find)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnderARemapWhatAUserNamespaceCannotHaveNeedsUsernsHost()
    {
        var host = new NamespaceModes("", "", "") { Userns = NamespaceModes.Host };
        foreach (var (spec, message) in (IEnumerable<(ContainerCreateSpec, string)>)[
            (Spec with { Privileged = true }, "privileged mode is incompatible with user namespaces"),
            (Spec with { NetworkMode = Core.Networks.NetworkMode.Host }, "cannot share the host's network namespace when user namespaces are enabled"),
            (Spec with { Namespaces = new NamespaceModes(NamespaceModes.Host, "", "") }, "cannot share the host PID namespace when user namespaces are enabled"),
        ])
        {
            Assert.Contains(message, Assert.Throws<BerthException>(() => ProcessOptionRules.Validate(spec, null, remapping: true)).Message, StringComparison.Ordinal);
            ProcessOptionRules.Validate(spec, null, remapping: false);
            var optedOut = ProcessOptionRules.Validate(spec with { Namespaces = spec.Namespaces with { Userns = NamespaceModes.Host } }, null, remapping: true);
            Assert.Equal(NamespaceModes.Host, optedOut.Namespaces.Userns);
        }

        Assert.Equal("invalid USER mode: private; give host or leave it out",
            Assert.Throws<BerthException>(() => ProcessOptionRules.Validate(Spec with { Namespaces = host with { Userns = "private" } }, null)).Message);
    }
}
