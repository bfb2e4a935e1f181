using System.Net;
using Berth.Cluster.NodeChannel;
using Berth.Cluster.Swarm;
using Berth.Linux.Probes;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// The swarm's ports between nodes, probed from this node to every other it knows: an ICMP echo (is the node there at
/// all), TCP 2377 on managers (the join service), TCP 7946 (the node channel: task logs and files), UDP 4789 (the
/// overlays' VXLAN; only a refusal can be seen, a drop cannot). A port that gets no answer from a node that answers
/// ping is dropped by a firewall: the problem names node, address and port with the rule that opens it.
/// </summary>
public sealed class ClusterPortsCheck : IDoctorCheck
{
    private const string Check = "cluster ports";

    public string Area => "cluster";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(scope);
        if (!scope.IsEverything || await ClusterPeers.LoadAsync(sources, cancellationToken).ConfigureAwait(false) is not { Local.State: SwarmLocalState.Active } peers)
        {
            return [];
        }

        int dataPort = peers.IsManager && sources.Swarm is { } swarm
            ? (await swarm.InspectAsync(cancellationToken).ConfigureAwait(false)).Record.DataPathPort
            : ClusterRecord.DefaultDataPathPort;
        var probes = peers.Others.Where(n => IPAddress.TryParse(n.Address, out _))
            .Select(node => ProbeAsync(sources, peers.Local.NodeAddress, node, dataPort, cancellationToken));
        return [.. (await Task.WhenAll(probes).ConfigureAwait(false)).SelectMany(f => f)];
    }

    private static async Task<IReadOnlyList<DoctorFinding>> ProbeAsync(DiagnosticSources sources, string self, ClusterNode node, int dataPort, CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(node.Address);
        var ports = new List<(string Protocol, int Port, string Role)>();
        if (node.Manager)
        {
            ports.Add(("tcp", JoinClient.DefaultPort, "join service"));
        }

        ports.Add(("tcp", NodeChannelSession.Port, "node channel"));
        ports.Add(("udp", dataPort, "VXLAN"));
        var ping = ClusterProbes.PingAsync(sources.Runner, address, cancellationToken);
        var outcomes = await Task.WhenAll(ports.Select(p => p.Protocol == "tcp"
            ? ClusterProbes.TcpAsync(address, p.Port, cancellationToken)
            : ClusterProbes.UdpAsync(address, p.Port, cancellationToken))).ConfigureAwait(false);
        IcmpEchoResult echo = await ping.ConfigureAwait(false);

        var probed = ports.Zip(outcomes, (p, outcome) => (p.Protocol, p.Port, p.Role, Outcome: outcome)).ToList();
        var tcp = probed.Where(p => p.Protocol == "tcp").ToList();
        if (!echo.Answered && tcp.All(p => p.Outcome is ClusterPortOutcome.NoAnswer or ClusterPortOutcome.Unreachable))
        {
            return [DoctorFinding.Problem(Check, node.Subject,
                $"does not answer ping ({echo}) nor any of {string.Join(", ", tcp.Select(p => $"tcp {p.Port}"))}: the node is down{(node.Down ? " (the swarm has no heartbeat from it either)" : "")} or cut off from this one",
                $"docker node ls  # start the host {node.Address} and its berthd, or docker node rm a node that is gone")];
        }

        var failed = probed.Where(p => p.Outcome != ClusterPortOutcome.Answered).ToList();
        if (failed.Count == 0)
        {
            string pinged = echo.Answered ? "answers ping" : $"does not answer ping ({echo}: ICMP filtered?)";
            return [DoctorFinding.Ok(Check, node.Subject,
                $"{pinged}; {string.Join(", ", tcp.Select(p => $"tcp {p.Port} ({p.Role})"))} connect; udp {dataPort} (VXLAN) not refused (a drop of UDP cannot be seen)")];
        }

        return [.. failed.Select(p => DoctorFinding.Problem(Check, node.Subject,
            $"{p.Protocol} {p.Port} ({p.Role}) {ClusterProbes.Describe(p.Outcome)} while the node {(echo.Answered ? "answers ping" : "answers on other ports")}: {Consequence(p.Port, dataPort)}",
            p.Outcome == ClusterPortOutcome.Refused
                ? $"docker node ls  # berthd on {node.Address} does not listen on {p.Port}: restart it there"
                : $"iptables -I INPUT -p {p.Protocol} -s {self} -d {node.Address} --dport {p.Port} -j ACCEPT  # on {node.Address}; a drop in an nft table of its own: nft -a list ruleset | grep {p.Port}"))];
    }

    private static string Consequence(int port, int dataPort) => port switch
    {
        JoinClient.DefaultPort => "nodes cannot join through this manager nor renew their certificates with it",
        NodeChannelSession.Port => "docker service logs cannot read its tasks from here, and a worker gets no secrets or configs from a manager it cannot reach",
        _ when port == dataPort => "overlay traffic (VXLAN) to it is lost",
        _ => "the swarm's traffic to it is lost",
    };
}
