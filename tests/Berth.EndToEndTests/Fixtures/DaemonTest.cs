using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// A lab with a "docker host" namespace (eth0 10.77.0.10/24 on a LAN, beside a LAN machine at
/// 10.77.0.20) in which the test runs berthd. Everything goes away with the lab; the leak guard of
/// <see cref="LabTest"/> checks that nothing of Berth's is left on the machine.
/// </summary>
public abstract class DaemonTest : LabTest
{
    private readonly List<Berthd> _daemons = [];

    protected LabHost DockerHost { get; private set; } = null!;

    protected LabHost LanPeer { get; private set; } = null!;

    /// <summary>The LAN both hosts are plugged into (a bridge in its own namespace).</summary>
    protected LabLan Lan { get; private set; } = null!;

    /// <summary>Builds the lab and starts berthd in it.</summary>
    protected Berthd StartDaemon(params string[] extraArgs) => StartDaemon(new Dictionary<string, string>(), extraArgs);

    /// <summary>Builds the lab and starts berthd in it with <paramref name="environment"/> added to its own.</summary>
    protected Berthd StartDaemon(IReadOnlyDictionary<string, string> environment, params string[] extraArgs)
    {
        BuildLab();
        var daemon = new Berthd(DockerHost, TestRoot, extraArgs);
        foreach (var (name, value) in environment)
        {
            daemon.Environment[name] = value;
        }

        _daemons.Add(daemon);
        daemon.Start();
        return daemon;
    }

    /// <summary>Builds the lab (docker host and LAN peer) without starting berthd: for a test that prepares the host first.</summary>
    protected void BuildLab()
    {
        if (DockerHost is null)
        {
            var lab = NewLab();
            var lan = lab.AddLan("lan");
            Lan = lan;
            DockerHost = lab.AddHost("dh");
            LanPeer = lab.AddHost("peer");
            lab.Connect(DockerHost, lan, "eth0", "10.77.0.10/24");
            lab.Connect(LanPeer, lan, "eth0", "10.77.0.20/24");
            DockerHost.Ip("route", "add", "default", "via", "10.77.0.1");
        }
    }

    /// <summary>Another berthd on the same directories (after the first stopped or crashed).</summary>
    protected Berthd Restart(Berthd previous, params string[] extraArgs)
    {
        var daemon = new Berthd(previous.LabHost, TestRoot, extraArgs);
        _daemons.Add(daemon);
        daemon.Start();
        return daemon;
    }

    /// <summary><c>ip -n dh …</c>: the kernel's own view, inside the docker host.</summary>
    protected string HostIp(params string[] args) => DockerHost.Ip(args);

    /// <summary>
    /// Removes every container through the running daemon (even when the test failed half-way), stops
    /// the daemons, and fails if a container monitor of this test outlived them.
    /// </summary>
    protected override void BeforeTeardown()
    {
        foreach (var daemon in _daemons)
        {
            daemon.RemoveAllContainers();
        }

        foreach (var daemon in _daemons)
        {
            daemon.Dispose();
        }

        // A monitor exits on its own once its container is gone: give it a moment before calling it a leak.
        string[] Monitors() => Cmd.Run("pgrep", "-f", "conmon .*" + TestRoot).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Poll.Until(() => Monitors().Length == 0, TimeSpan.FromSeconds(5));
        var leftovers = Monitors();
        foreach (string pid in leftovers)
        {
            Cmd.Run("pkill", "-KILL", "-P", pid);
            Cmd.Run("kill", "-KILL", pid);
        }

        if (leftovers.Length > 0)
        {
            throw new InvalidOperationException($"{leftovers.Length} container monitor(s) (conmon) of this test were still running; killed them");
        }
    }
}
