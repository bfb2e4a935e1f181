using System.Globalization;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// A lab for swarm tests: an underlay LAN (a bridge in its own namespace) and hosts node1…nodeN on it at
/// 10.88.0.1N/24, each with its own berthd (root, exec-root and socket under <c>TestRoot/nodeN</c>) started with
/// <c>nsenter --net</c>, so a manager's etcd runs inside the node's namespace and listens on its lab address only.
/// Teardown stops every berthd (which stops its etcd member); the leak guard then fails the test if an etcd of it
/// still runs (and kills it).
/// </summary>
public abstract class ClusterTest : LabTest
{
    private readonly List<Berthd> _daemons = [];
    private readonly List<LabHost> _hosts = [];
    private readonly List<string[]> _arguments = [];
    private Lab? _lab;
    private LabLan? _underlay;
    private UnderlayPartition? _partition;

    /// <summary>The running berthd of each node (index 0 is node1).</summary>
    protected List<Berthd> Nodes { get; } = [];

    /// <summary>Variables added to node N's berthd environment, at every start (e.g. libfaketime's for a skewed clock); set before <see cref="StartNodes"/>.</summary>
    protected Func<int, IReadOnlyDictionary<string, string>>? NodeEnvironment { get; set; }

    /// <summary>The underlay's switch, where a test cuts nodes off the LAN (after <see cref="StartNodes"/>).</summary>
    protected UnderlayPartition Underlay => _partition ?? throw new InvalidOperationException("StartNodes first");

    protected static string Address(int node) => string.Create(CultureInfo.InvariantCulture, $"10.88.0.{10 + node}");

    /// <summary>Builds the lab with <paramref name="count"/> nodes and starts a berthd on each (with <paramref name="arguments"/>(node) added).</summary>
    protected void StartNodes(int count, Func<int, string[]>? arguments = null)
    {
        var lab = _lab = NewLab();
        var underlay = _underlay = lab.AddLan("under");
        _partition = new UnderlayPartition(underlay);
        for (int i = 1; i <= count; i++)
        {
            var host = lab.AddHost($"node{i}");
            lab.Connect(host, underlay, "eth0", Address(i) + "/24");
            _hosts.Add(host);
            _arguments.Add(arguments?.Invoke(i) ?? []);
            Nodes.Add(StartDaemon(i));
        }
    }

    /// <summary>A new berthd on node <paramref name="node"/>'s directories (after the previous one stopped or was killed).</summary>
    protected Berthd Restart(int node) => Nodes[node - 1] = StartDaemon(node);

    private Berthd StartDaemon(int node)
    {
        var daemon = new Berthd(_hosts[node - 1], NodeDirectory(node), _arguments[node - 1]);
        foreach (var (name, value) in NodeEnvironment?.Invoke(node) ?? new Dictionary<string, string>())
        {
            daemon.Environment[name] = value;
        }

        _daemons.Add(daemon);
        daemon.Start();
        return daemon;
    }

    protected Berthd Node(int node) => Nodes[node - 1];

    /// <summary>Another host on the nodes' LAN (after <see cref="StartNodes"/>), e.g. for a service the swarm uses.</summary>
    protected LabHost AddLanHost(string name, string address)
    {
        var host = (_lab ?? throw new InvalidOperationException("StartNodes first")).AddHost(name);
        _lab.Connect(host, _underlay!, "eth0", address + "/24");
        return host;
    }

    /// <summary>The namespace of node <paramref name="node"/>'s host.</summary>
    protected LabHost NodeHost(int node) => _hosts[node - 1];

    /// <summary><c>docker swarm init</c> on node 1, advertising its lab address; returns the worker and manager tokens.</summary>
    protected (string Worker, string Manager) InitSwarm()
    {
        Node(1).DockerChecked("swarm", "init", "--advertise-addr", Address(1));
        return (Node(1).DockerChecked("swarm", "join-token", "-q", "worker").Output.Trim(),
                Node(1).DockerChecked("swarm", "join-token", "-q", "manager").Output.Trim());
    }

    /// <summary>
    /// A swarm of <paramref name="count"/> nodes for services: node 1 initialises it (the manager), the others join as
    /// workers, and busybox (<c>bb:latest</c>) is imported on every node.
    /// </summary>
    protected void StartWorkerSwarm(int count)
    {
        StartNodes(count);
        var (workerToken, _) = InitSwarm();
        for (int node = 2; node <= count; node++)
        {
            Node(node).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        }

        foreach (var daemon in Nodes)
        {
            BusyboxImage.Import(daemon, TestRoot);
        }
    }

    /// <summary>
    /// A swarm for services: node 1 inits it, managers 2… join one at a time (etcd 3.4 promotes a learner only once the
    /// cluster is healthy), then the workers; busybox (<c>bb:latest</c>) on every node, an attachable overlay
    /// <paramref name="overlay"/> when named, every node Ready.
    /// </summary>
    protected void StartSwarm(int managers, int workers, string? overlay = null)
    {
        StartNodes(managers + workers);
        var (workerToken, managerToken) = InitSwarm();
        for (int node = 2; node <= managers; node++)
        {
            Node(node).DockerChecked("swarm", "join", "--token", managerToken, $"{Address(1)}:2377");
            int voters = node;
            Assert.True(Poll.Until(() => EtcdMembers(1).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith(", false", StringComparison.Ordinal)) == voters,
                TimeSpan.FromSeconds(30)), EtcdMembers(1));
        }

        for (int node = managers + 1; node <= managers + workers; node++)
        {
            Node(node).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        }

        string tar = BusyboxImage.BuildTar(TestRoot);
        foreach (var node in Nodes)
        {
            node.DockerChecked("import", "-c", "CMD [\"sh\"]", tar, "bb:latest");
        }

        if (overlay is not null)
        {
            Node(1).DockerChecked("network", "create", "-d", "overlay", "--attachable", overlay);
        }

        Assert.True(Poll.Until(() => NodeList(Node(1)).Values.Count(v => v.Contains("|Ready|", StringComparison.Ordinal)) == managers + workers, TimeSpan.FromSeconds(30)),
            string.Join("\n", NodeList(Node(1))));
    }

    /// <summary>Until node 1's <c>node ls</c> shows every started node Ready.</summary>
    protected void WaitNodesReady(TimeSpan within) =>
        Assert.True(Poll.Until(() => Node(1).DockerChecked("node", "ls", "--format", "{{.Status}}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            is { } states && states.Length == Nodes.Count && states.All(state => state == "Ready"), within), "not every node is ready:\n" + Node(1).Docker("node", "ls").Output);

    protected string NodeId(int node) => Node(node).DockerChecked("info", "-f", "{{.Swarm.NodeID}}").Output.Trim();

    /// <summary><c>docker node ls</c> as ID → the line's other columns (the <c>*</c> of the asking node kept).</summary>
    protected static Dictionary<string, string> NodeList(Berthd daemon) =>
        daemon.DockerChecked("node", "ls", "--format", "{{.ID}}|{{if .Self}}*{{end}}|{{.Status}}|{{.Availability}}|{{.ManagerStatus}}").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|', 2))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

    /// <summary><see cref="NodeList"/>, or empty while the node cannot answer (not a manager yet): for polls.</summary>
    protected static Dictionary<string, string> NodeListOrEmpty(Berthd daemon) =>
        daemon.Docker("node", "ls", "-q").Succeeded ? NodeList(daemon) : [];

    /// <summary>The <c>Swarm</c> header of <c>HEAD /_ping</c>.</summary>
    protected static string PingSwarmHeader(Berthd daemon)
    {
        var headers = Cmd.Check("curl", "-s", "-I", "--unix-socket", daemon.Socket, "http://berth/_ping");
        return headers.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("Swarm:", StringComparison.OrdinalIgnoreCase))["Swarm:".Length..].Trim();
    }

    /// <summary>etcdctl inside node <paramref name="node"/>'s namespace with its certificate, against the etcd of node <paramref name="etcdNode"/>.</summary>
    protected CmdResult Etcdctl(int node, int etcdNode, params string[] args)
    {
        string swarm = Path.Combine(NodeDirectory(node), "root", "swarm");
        return _hosts[node - 1].Exec(["etcdctl", "--endpoints", $"https://{Address(etcdNode)}:2379", "--cacert", Path.Combine(swarm, "ca.crt"),
            "--cert", Path.Combine(swarm, "node.crt"), "--key", Path.Combine(swarm, "node.key"), .. args]);
    }

    /// <summary>The etcd members node <paramref name="node"/>'s etcd lists (through etcdctl inside its namespace, with its certificate).</summary>
    protected string EtcdMembers(int node)
    {
        return Etcdctl(node, node, "member", "list").Output;
    }

    /// <summary>pids of etcd processes whose data is node <paramref name="node"/>'s.</summary>
    protected string[] EtcdPids(int node) =>
        Cmd.Run("pgrep", "-f", "etcd --name .* --data-dir " + Path.Combine(NodeDirectory(node), "root")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    protected string NodeDirectory(int node) => Path.Combine(TestRoot, string.Create(CultureInfo.InvariantCulture, $"node{node}"));

    protected override void BeforeTeardown()
    {
        // A berthd killed with -9 leaves its member running on purpose (the others keep their quorum); when the test
        // did not start that node again, the member is the test's to end. Every other etcd must stop with its berthd:
        // the leak guard fails the test for one that does not.
        for (int node = 1; node <= Nodes.Count; node++)
        {
            if (!Nodes[node - 1].IsRunning)
            {
                LeakGuard.KillEtcdUnder(NodeDirectory(node));
            }
        }

        RemoveServices();
        var ingressSandboxes = _daemons.Where(d => d.IsRunning).SelectMany(IngressSandboxes).ToHashSet();
        var errors = new List<string>();
        foreach (var daemon in _daemons)
        {
            try
            {
                daemon.Dispose();
            }
            catch (InvalidOperationException e)
            {
                errors.Add(e.Message);
            }
        }

        // The ingress network's sandbox outlives berthd on purpose (each node's routing-mesh entry is in it, ready for the
        // next start), as the networks themselves do: the lab's to remove, as an admin would after stopping the daemon.
        foreach (var daemon in _daemons)
        {
            string netns = Path.Combine(daemon.ExecRoot, "netns");
            foreach (string sandbox in Directory.Exists(netns) ? Directory.GetFiles(netns, "ov-*").Where(f => ingressSandboxes.Contains(Path.GetFileName(f))) : [])
            {
                Cmd.Run("umount", sandbox);
                File.Delete(sandbox);
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("\n", errors));
        }
    }

    /// <summary>
    /// The swarm's services removed through the first manager that answers, before the daemons remove their containers:
    /// otherwise the orchestrator replaces the task containers that removal takes away, and a node that starts one just
    /// before it stops leaves it running, its namespace mounted (a teardown "nsfs mount" leak, now and then).
    /// </summary>
    private void RemoveServices()
    {
        foreach (var daemon in Nodes.Where(d => d.IsRunning))
        {
            var services = daemon.Docker("service", "ls", "-q");
            if (services.Succeeded)
            {
                string[] ids = services.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (ids.Length > 0)
                {
                    daemon.Docker(["service", "rm", .. ids]);
                }

                return;
            }
        }
    }

    /// <summary>The sandbox names (<c>ov-&lt;id12&gt;</c>) of the ingress networks a running node knows.</summary>
    private static IEnumerable<string> IngressSandboxes(Berthd daemon)
    {
        var overlays = daemon.Docker("network", "ls", "-q", "--no-trunc", "--filter", "driver=overlay").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (overlays.Length == 0)
        {
            return [];
        }

        return daemon.Docker(["network", "inspect", "-f", "{{if .Ingress}}{{.Id}}{{end}}", .. overlays]).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(id => id.Length >= 12)
            .Select(id => "ov-" + id[..12]);
    }
}
