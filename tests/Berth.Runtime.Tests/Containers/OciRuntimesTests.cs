using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Containers;

/// <summary>dockerd's --add-runtime / --default-runtime, a container's --runtime, and where each runtime's state and binary come from.</summary>
public sealed class OciRuntimesTests
{
    private const string Kata = "/opt/kata/bin/kata-runtime";

    /// <summary>A machine with runc, crun and kata-runtime (on PATH as "kata-runtime").</summary>
    private static string? Installed(string path) => path switch
    {
        OciRuntimes.RuncPath or OciRuntimes.CrunPath or Kata => path,
        "kata-runtime" => Kata,
        _ => null,
    };

    private static string? RuncAlone(string path) => path == OciRuntimes.RuncPath ? path : null;

    [Fact]
    public void RuncAndAnInstalledCrunAreKnownWithRuncTheDefault()
    {
        var runtimes = OciRuntimes.Configure([], null, Installed);
        Assert.Equal(["crun", "runc"], runtimes.Names);
        Assert.Equal("runc", runtimes.Default);
        Assert.Equal(OciRuntimes.CrunPath, runtimes.Paths["crun"]);
        Assert.Equal(["runc"], OciRuntimes.Configure([], "runc", RuncAlone).Names);
    }

    [Fact]
    public void AddRuntimeTakesAnAbsolutePathOrACommandOnPath()
    {
        var runtimes = OciRuntimes.Configure(["kata=kata-runtime", "k2=" + Kata], "kata", Installed);
        Assert.Equal(Kata, runtimes.Paths["kata"]);
        Assert.Equal(Kata, runtimes.Paths["k2"]);
        Assert.Equal("kata", runtimes.Default);
    }

    [Fact]
    public void DefaultRuntimeCrunNeedsCrunInstalled()
    {
        Assert.Equal("crun", OciRuntimes.Configure([], "crun", Installed).Default);
        var e = Assert.Throws<BerthException>(() => OciRuntimes.Configure([], "crun", RuncAlone));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("--default-runtime crun: no such runtime; known: runc", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBadFlagIsReportedTogether()
    {
        var e = Assert.Throws<BerthException>(() => OciRuntimes.Configure(
            ["nopath", "=/usr/bin/crun", "runc=/usr/bin/crun", "bad/name=/usr/bin/crun", "x=/missing", "y=/usr/bin/crun", "y=/usr/bin/crun"], null, Installed));
        Assert.Contains("--add-runtime nopath: expected NAME=PATH", e.Message, StringComparison.Ordinal);
        Assert.Contains("--add-runtime =/usr/bin/crun: expected NAME=PATH", e.Message, StringComparison.Ordinal);
        Assert.Contains("runtime name 'runc' is reserved", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"bad/name\" is not a valid runtime name", e.Message, StringComparison.Ordinal);
        Assert.Contains("--add-runtime x=/missing: /missing is not an executable file", e.Message, StringComparison.Ordinal);
        Assert.Contains("runtime \"y\" is given twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AContainersRuntimeIsItsOwnTheDefaultOrDockersError()
    {
        var runtimes = OciRuntimes.Configure([], "crun", Installed);
        Assert.Equal("crun", runtimes.Choose(null));
        Assert.Equal("crun", runtimes.Choose(""));
        Assert.Equal("runc", runtimes.Choose("runc"));
        var e = Assert.Throws<BerthException>(() => runtimes.Choose("nosuch"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("unknown or invalid runtime name: nosuch", e.Message);
    }

    [Fact]
    public void RuncKeepsItsStateDirectoryAndOthersGetOneBesideIt()
    {
        var runtimes = OciRuntimes.Configure([], null, Installed);
        Assert.Equal(new OciRuntime("runc", OciRuntimes.RuncPath, "/run/b/runc"), runtimes.Resolve(null, "/run/b/runc"));
        Assert.Equal(new OciRuntime("crun", OciRuntimes.CrunPath, "/run/b/runc-crun"), runtimes.Resolve("crun", "/run/b/runc"));
    }

    [Fact]
    public void ConmonRunsTheContainersRuntimeWithItsRoot()
    {
        var options = ContainerRuntimeOptions.Under("/run/b") with { Runtimes = OciRuntimes.Configure([], "crun", Installed) };
        var launcher = new ConmonLauncher(options);
        string byDefault = string.Join(' ', launcher.Arguments("c1", new ContainerPaths("/var/c1"), tty: false));
        Assert.Contains("--runtime /usr/bin/crun ", byDefault, StringComparison.Ordinal);
        Assert.Contains("--runtime-arg --root=/run/b/runc-crun ", byDefault, StringComparison.Ordinal);
        string runc = string.Join(' ', launcher.Arguments("c1", new ContainerPaths("/var/c1"), tty: false, runtime: options.Runtimes.Resolve("runc", options.RuncRoot)));
        Assert.Contains("--runtime /usr/sbin/runc ", runc, StringComparison.Ordinal);
        Assert.Contains("--runtime-arg --root=/run/b/runc ", runc, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRuntimeAContainerWasCreatedWithIsRecordedAndOutlivesTheClient()
    {
        string dir = Directory.CreateTempSubdirectory("berth-runtime-records-").FullName;
        try
        {
            var runtimes = OciRuntimes.Configure([], "crun", Installed);
            var client = new RuncClient(runtimes, Path.Combine(dir, "runc"), Path.Combine(dir, "records"), TimeSpan.FromSeconds(5));
            OciRuntime crun = client.Resolve(null);
            client.Bind("c1", crun);

            // A new client (berthd restarted) whose default is runc again still finds crun for c1.
            var restarted = new RuncClient(OciRuntimes.Configure([], null, Installed), Path.Combine(dir, "runc"), Path.Combine(dir, "records"), TimeSpan.FromSeconds(5));
            Assert.Equal(crun, restarted.RuntimeOf("c1"));
            Assert.Equal("runc", restarted.RuntimeOf("made-before-records").Name);

            Assert.False(restarted.Exists("c1"));
            Directory.CreateDirectory(Path.Combine(crun.Root, "c1"));
            File.WriteAllText(Path.Combine(crun.Root, "c1", "status"), "");
            Assert.True(restarted.Exists("c1"));

            restarted.Forget("c1");
            Assert.Equal("runc", restarted.RuntimeOf("c1").Name);
            Assert.False(File.Exists(Path.Combine(dir, "records", "c1")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
