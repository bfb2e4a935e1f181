using System.Collections.Immutable;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Runtime.Containers;

namespace Berth.Runtime.IntegrationTests.Containers;

/// <summary>
/// Base of the runtime's integration tests: a busybox root filesystem built at test time from Debian's
/// busybox-static, a <see cref="ContainerRuntime"/> whose runc, exit and socket directories live under
/// the test's own root, and a teardown that force-deletes every container the test made.
/// </summary>
public abstract class RuntimeTest : LabTest
{
    private const string Busybox = "/bin/busybox";

    private readonly List<string> containers = [];

    protected RuntimeTest()
    {
        EnsureInstalled(Busybox, "busybox-static");
        EnsureInstalled("/usr/bin/conmon", "conmon");
        Options = ContainerRuntimeOptions.Under(Path.Combine(TestRoot, "runtime"));
        Runtime = new ContainerRuntime(Options);
        BusyboxLayer = Path.Combine(TestRoot, "layers", "busybox");
        Directory.CreateDirectory(Path.Combine(BusyboxLayer, "bin"));
        File.Copy(Busybox, Path.Combine(BusyboxLayer, "bin", "busybox"));

        // --install -s links to the absolute path of the running busybox (/usr/bin/busybox on merged-/usr
        // Debian), which the layer lacks; relink each applet to the layer's own bin/busybox.
        string bin = Path.Combine(BusyboxLayer, "bin");
        Cmd.Check(Busybox, "--install", "-s", bin);
        foreach (string link in Directory.GetFiles(bin).Where(f => new FileInfo(f).LinkTarget is not null))
        {
            File.Delete(link);
            File.CreateSymbolicLink(link, "busybox");
        }
    }

    protected ContainerRuntimeOptions Options { get; }

    protected ContainerRuntime Runtime { get; }

    /// <summary>A layer directory with bin/busybox and a symlink per applet.</summary>
    protected string BusyboxLayer { get; }

    protected string BundleOf(string id) => Path.Combine(TestRoot, "containers", id);

    protected ContainerSpec Spec(string id, params string[] cmd) => new()
    {
        Id = id,
        Layers = [BusyboxLayer],
        Cmd = [.. cmd],
    };

    protected async Task<ConmonResult> CreateAsync(ContainerSpec spec)
    {
        containers.Add(spec.Id);
        return await Runtime.CreateAsync(spec, BundleOf(spec.Id));
    }

    /// <summary>Creates, starts and waits for a container; returns its exit code and log.</summary>
    protected async Task<(int ExitCode, ImmutableArray<LogEntry> Log)> RunAsync(ContainerSpec spec)
    {
        await CreateAsync(spec);
        await Runtime.StartAsync(spec.Id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int code = await Runtime.WaitAsync(spec.Id, timeout.Token);
        ImmutableArray<LogEntry> log = [.. ContainerLogReader.Read(new ContainerPaths(BundleOf(spec.Id)).Log)];
        await Runtime.DeleteAsync(spec.Id, force: false);
        return (code, log);
    }

    protected override void BeforeTeardown()
    {
        foreach (string id in containers)
        {
            if (Runtime.Runc.Exists(id) || Directory.Exists(BundleOf(id)))
            {
                Runtime.DeleteAsync(id, force: true).GetAwaiter().GetResult();
            }
        }

        foreach (string id in containers)
        {
            AssertGone(id);
        }

        Runtime.Dispose();
    }

    /// <summary>No runc state, no rootfs mount, no bundle directory, no exit file.</summary>
    protected void AssertGone(string id)
    {
        Assert.False(Runtime.Runc.Exists(id), $"runc still has state for {id}");
        Assert.False(Directory.Exists(Path.Combine(Options.RuncRoot, id)), $"runc state directory of {id} remains");
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(BundleOf(id), StringComparison.Ordinal));
        Assert.False(Directory.Exists(BundleOf(id)), $"bundle directory of {id} remains");
        Assert.False(File.Exists(Runtime.ExitFile(id)), $"exit file of {id} remains");
    }

    private static void EnsureInstalled(string path, string package)
    {
        if (!File.Exists(path))
        {
            Cmd.Check("apt-get", "install", "-y", package);
        }
    }
}
