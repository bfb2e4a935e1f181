using System.Globalization;

namespace Berth.Bench;

/// <summary>
/// Hosts for a swarm: a LAN (bridge br0 in a namespace of its own) and nodes on it at 10.89.0.1K/24, each a
/// <see cref="BenchDaemon"/> (berthd under <c>nsenter --net</c>, root and socket under <c>DIR/nodeK</c>) whose
/// namespace gets an eth0 on the LAN; and LAN hosts that are no node (a client of the routing mesh). Nothing of the
/// machine's own network is touched. Disposing stops every berthd (each stops its etcd member), ends any etcd a killed
/// berthd left, and removes the namespaces and DIR.
/// </summary>
internal sealed class BenchSwarmLab : IDisposable
{
    private readonly string _dir;
    private readonly string _lan;
    private readonly Dictionary<int, BenchDaemon> _nodes = [];
    private readonly List<string> _hosts = [];

    public BenchSwarmLab(string dir)
    {
        _dir = dir;
        _lan = $"berth-bench-{Environment.ProcessId}-lan";
        Directory.CreateDirectory(dir);
        Exec.Run("ip", "netns", "add", _lan);
        Exec.Run("ip", "-n", _lan, "link", "set", "lo", "up");
        Exec.Run("ip", "-n", _lan, "link", "add", "br0", "type", "bridge");
        Exec.Run("ip", "-n", _lan, "link", "set", "br0", "up");
    }

    public static string Address(int node) => string.Create(CultureInfo.InvariantCulture, $"10.89.0.{10 + node}");

    public BenchDaemon this[int node] => _nodes[node];

    /// <summary>Starts node <paramref name="node"/>'s berthd (at <paramref name="logLevel"/>, or the bench's default) and plugs its namespace into the LAN.</summary>
    public BenchDaemon Start(int node, string? logLevel = null)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"node{node}");
        var daemon = BenchDaemon.Start(Path.Combine(_dir, name), name, logLevel);
        _nodes[node] = daemon;
        string port = "p-" + name;
        Exec.Run("ip", "-n", _lan, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", daemon.Netns);
        Exec.Run("ip", "-n", _lan, "link", "set", port, "master", "br0", "up");
        Exec.Run("ip", "-n", daemon.Netns, "addr", "add", Address(node) + "/24", "dev", "eth0");
        Exec.Run("ip", "-n", daemon.Netns, "link", "set", "eth0", "up");
        return daemon;
    }

    /// <summary>
    /// node1 inits the swarm, nodes 2..<paramref name="managers"/> join it as managers (an etcd member each), the rest up
    /// to <paramref name="nodes"/> as workers.
    /// </summary>
    public void FormSwarm(int nodes, int managers = 1)
    {
        var manager = this[1].Cli;
        manager.Checked("swarm", "init", "--advertise-addr", Address(1));
        string workerToken = manager.Checked("swarm", "join-token", "-q", "worker");
        string managerToken = manager.Checked("swarm", "join-token", "-q", "manager");
        for (int node = 2; node <= nodes; node++)
        {
            this[node].Cli.Checked("swarm", "join", "--advertise-addr", Address(node), "--token", node <= managers ? managerToken : workerToken, Address(1) + ":2377");
        }
    }

    /// <summary>A host on the LAN that is no node: a namespace of its own with an eth0 at <paramref name="address"/>/24; returns its path.</summary>
    public string AddLanHost(string name, string address)
    {
        string netns = $"berth-bench-{Environment.ProcessId}-{name}";
        Exec.Run("ip", "netns", "add", netns);
        _hosts.Add(netns);
        Exec.Run("ip", "-n", netns, "link", "set", "lo", "up");
        Exec.Run("ip", "-n", _lan, "link", "add", "h-" + name, "type", "veth", "peer", "name", "eth0", "netns", netns);
        Exec.Run("ip", "-n", _lan, "link", "set", "h-" + name, "master", "br0", "up");
        Exec.Run("ip", "-n", netns, "addr", "add", address + "/24", "dev", "eth0");
        Exec.Run("ip", "-n", netns, "link", "set", "eth0", "up");
        return $"/run/netns/{netns}";
    }

    /// <summary>kill -9 of node <paramref name="node"/>'s berthd (its etcd member, if any, keeps running).</summary>
    public void KillBerthd(int node) => Exec.Run("kill", "-KILL", _nodes[node].Pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>The etcd processes whose data is node <paramref name="node"/>'s.</summary>
    public List<int> EtcdPids(int node) => EtcdPidsUnder(Path.Combine(_dir, string.Create(CultureInfo.InvariantCulture, $"node{node}"), "root"));

    public void Dispose()
    {
        foreach (var daemon in _nodes.Values)
        {
            daemon.Dispose();
        }

        foreach (int pid in EtcdPidsUnder(_dir))
        {
            Exec.TryRun("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
        }

        foreach (string host in _hosts)
        {
            Exec.TryRun("ip", "netns", "del", host);
        }

        Exec.TryRun("ip", "netns", "del", _lan);
        Exec.TryRun("rm", "-rf", _dir);
    }

    private static List<int> EtcdPidsUnder(string dir) =>
        [.. Exec.TryRun("pgrep", "-f", $"etcd --name .* --data-dir {dir}/").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
}
