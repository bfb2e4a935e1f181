using System.Diagnostics;
using System.Globalization;
using System.Net;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Interop;
using Berth.Linux.Namespaces;
using Berth.Runtime.Containers;

namespace Berth.Runtime.IntegrationTests.Containers;

public sealed class ContainerRuntimeTests : RuntimeTest
{
    [RootFact]
    public async Task ExitCodeAndBothStreamsReachTheLog()
    {
        var (code, log) = await RunAsync(Spec("exit3", "sh", "-c", "echo out; echo err >&2; exit 3"));

        Assert.Equal(3, code);
        Assert.Contains(log, e => e.Stream == LogStream.Stdout && e.Text == "out");
        Assert.Contains(log, e => e.Stream == LogStream.Stderr && e.Text == "err");
        Assert.All(log, e => Assert.True(Math.Abs((DateTimeOffset.UtcNow - e.Time).TotalMinutes) < 5, "log time is now"));
        AssertGone("exit3");
    }

    [RootFact]
    public async Task HostnameEnvUserAndCwdAreSeenInside()
    {
        ContainerSpec spec = Spec("ident", "sh", "-c", "hostname; cat /etc/hostname; echo $HOSTNAME $FOO; id -u; id -g; pwd; echo $PATH")
            with { Hostname = "box1", Env = ["FOO=bar"], User = "1234:5678", WorkingDir = "/tmp" };
        var (code, log) = await RunAsync(spec);

        Assert.True(code == 0, string.Join('\n', log.Select(e => e.Text)));
        Assert.Equal<string>(["box1", "box1", "box1 bar", "1234", "5678", "/tmp", OciSpecBuilder.DefaultPath], log.Select(e => e.Text));
    }

    [RootFact]
    public async Task ContainerRunsInBerthsNetworkNamespaceFromItsFirstInstruction()
    {
        try
        {
            using var outside = NetworkNamespace.Create(Manager, "outside");
            using var c1 = NetworkNamespace.Create(Manager, "c1");
            outside.Links.Create(new VethSpec("veth-c1", "eth0") { PeerNamespace = c1.Handle, Up = true });
            int eth0 = c1.Links.Get("eth0").Index;
            c1.Rtnl.Pipeline().SetUp("lo").SetUp(eth0).AddAddress(eth0, IPPrefix.Parse("10.77.0.2/24")).Execute();

            var (code, log) = await RunAsync(Spec("netns", "ip", "addr") with { NetworkNamespacePath = Manager.PathOf("c1") });

            string output = string.Join('\n', log.Select(e => e.Text));
            Assert.True(code == 0, output);
            Assert.Contains("inet 10.77.0.2/24", output, StringComparison.Ordinal);
            Assert.Contains("eth0", output, StringComparison.Ordinal);
        }
        finally
        {
            foreach (string name in new[] { "c1", "outside" }.Where(Manager.Exists))
            {
                Manager.Delete(name);
            }
        }
    }

    [RootFact]
    public async Task StopEscalatesToSigkillWithinTheTimeout()
    {
        // sleep is the pid namespace's init, which the kernel shields from SIGTERM it has no handler for.
        await CreateAsync(Spec("sleeper", "sleep", "1000"));
        await Runtime.StartAsync("sleeper");
        Assert.Equal(ContainerStatus.Running, (await Runtime.StateAsync("sleeper")).Status);

        var watch = Stopwatch.StartNew();
        int code = await Runtime.StopAsync("sleeper", TimeSpan.FromSeconds(1), "SIGTERM");
        watch.Stop();

        Assert.Equal(137, code); // 128 + SIGKILL
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Equal(ContainerStatus.Stopped, (await Runtime.StateAsync("sleeper")).Status);
        await Runtime.DeleteAsync("sleeper", force: false);
        AssertGone("sleeper");
    }

    [RootFact]
    public async Task ARunWhoseConmonDiedEndsWithTheLostExitCodeAndCanBeDeleted()
    {
        ConmonResult created = await CreateAsync(Spec("orphan", "sleep", "1000"));
        await Runtime.StartAsync("orphan");
        var waiting = Runtime.WaitAsync("orphan");

        // conmon (which writes the exit file) killed first, then the container's process: nobody records the exit.
        Assert.Equal(0, Libc.Kill(created.ConmonPid, 9));
        Assert.True(Poll.Until(() => !ConmonLauncher.IsAlive(created.ConmonPid), TimeSpan.FromSeconds(5)));
        Assert.False(waiting.IsCompleted, "the wait ended while the container still ran");
        Assert.Equal(0, Libc.Kill(created.ContainerPid, 9));

        Assert.Equal(ContainerRuntime.LostExitCode, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(Runtime.TryReadExitCode("orphan"));
        Assert.Equal(ContainerStatus.Stopped, (await Runtime.StateAsync("orphan")).Status);
        Assert.Equal(ContainerRuntime.LostExitCode, await Runtime.StopAsync("orphan", TimeSpan.FromSeconds(1), "SIGTERM"));
        await Runtime.DeleteAsync("orphan", force: true);
        AssertGone("orphan");
    }

    [RootFact]
    public async Task StopEndsAContainerThatHandlesSigtermWithoutEscalating()
    {
        await CreateAsync(Spec("polite", "sh", "-c", "trap 'exit 7' TERM; echo ready; while true; do sleep 0.1; done"));
        await Runtime.StartAsync("polite");
        string log = new ContainerPaths(BundleOf("polite")).Log;
        Assert.True(Poll.Until(() => ContainerLogReader.Read(log).Any(e => e.Text == "ready"), TimeSpan.FromSeconds(10)));

        int code = await Runtime.StopAsync("polite", TimeSpan.FromSeconds(20), "SIGTERM");

        Assert.Equal(7, code);
    }

    [RootFact]
    public async Task ConmonIsNotOurChildAndOutlivesTheCallersHandle()
    {
        ConmonResult created = await CreateAsync(Spec("detached", "sleep", "1000"));

        Assert.True(ConmonLauncher.IsAlive(created.ConmonPid));
        Assert.NotEqual(Environment.ProcessId, ParentOf(created.ConmonPid));
        // The container's init is runc's child until runc has exited and the kernel handed it to conmon (its subreaper):
        // on a loaded machine that can be a moment after the create returned.
        Assert.True(Poll.Until(() => ParentOf(created.ContainerPid) == created.ConmonPid, TimeSpan.FromSeconds(5)),
            $"the container's parent is {ParentOf(created.ContainerPid)}, not conmon {created.ConmonPid}");

        // A new runtime object (as after a daemon restart) finds and drives the same container.
        using var other = new ContainerRuntime(Options);
        await other.StartAsync("detached");
        Assert.True(ConmonLauncher.IsAlive(created.ConmonPid));
        ContainerState state = await other.StateAsync("detached");
        Assert.Equal((ContainerStatus.Running, created.ContainerPid), (state.Status, state.Pid));

        await other.DeleteAsync("detached", force: true);
        Assert.False(ConmonLauncher.IsAlive(created.ConmonPid), "conmon still runs after delete");
        Assert.False(ConmonLauncher.IsAlive(created.ContainerPid), "the container's init still runs after delete");
        AssertGone("detached");
    }

    [RootFact]
    public async Task DeletingARunningContainerWithoutForceIsAConflict()
    {
        await CreateAsync(Spec("busy", "sleep", "1000"));
        await Runtime.StartAsync("busy");

        var error = await Assert.ThrowsAsync<BerthException>(() => Runtime.DeleteAsync("busy", force: false));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        await Runtime.DeleteAsync("busy", force: true);
        AssertGone("busy");
    }

    [RootFact]
    public async Task StartReleasesInitThroughRuncsExecFifoAndRuncAgrees()
    {
        ConmonResult created = await CreateAsync(Spec("fifo", "sleep", "1000"));
        string fifo = Path.Combine(Options.RuncRoot, "fifo", RuncExecFifo.FileName);
        Assert.True(File.Exists(fifo), "runc create left no exec fifo: this runc starts containers differently");
        Assert.Equal(ContainerStatus.Created, (await Runtime.StateAsync("fifo")).Status);

        await Runtime.StartAsync("fifo");

        Assert.False(File.Exists(fifo));
        Assert.Equal((ContainerStatus.Running, created.ContainerPid), ((await Runtime.StateAsync("fifo")).Status, (await Runtime.StateAsync("fifo")).Pid));
        Assert.EndsWith("sleep1000", File.ReadAllText($"/proc/{created.ContainerPid}/cmdline").Replace("\0", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task StartingAContainerWhoseInitDiedFailsPromptly()
    {
        ConmonResult created = await CreateAsync(Spec("dead", "sleep", "1000"));
        Cmd.Check("kill", "-KILL", created.ContainerPid.ToString(CultureInfo.InvariantCulture));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<BerthException>(() => Runtime.StartAsync("dead"));
        Assert.Contains("exited before it was started", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"start took {clock.Elapsed} to notice");
    }

    [RootFact]
    public async Task AFailedCreateCarriesRuncsErrorAndLeavesNothing()
    {
        var error = await Assert.ThrowsAsync<BerthException>(() => CreateAsync(Spec("nocmd", "/no/such/binary")));

        Assert.Contains("/no/such/binary", error.Message, StringComparison.Ordinal);
        AssertGone("nocmd");
    }

    private static int ParentOf(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
