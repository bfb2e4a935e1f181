using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;
using Berth.Diagnostics.Doctor;
using Berth.Diagnostics.Doctor.Checks;
using Berth.Diagnostics.Tests.Topology;
using Berth.Linux.Namespaces;
using Berth.Network.Drivers;

namespace Berth.Diagnostics.Tests.Doctor;

/// <summary>The quorum arithmetic on fakes: each manager's member as it answered, counted against Raft's majority.</summary>
public sealed class ClusterQuorumCheckTests : IDisposable
{
    private readonly NetworkNamespace host = NetworkNamespace.Host();

    public void Dispose() => host.Dispose();

    [Fact]
    public async Task Outside_a_swarm_one_line_says_so()
    {
        var findings = await new ClusterQuorumCheck().RunAsync(Sources(new FakeSwarm(SwarmLocalStatus.Inactive, []), _ => EtcdMemberStanding.Healthy), DoctorScope.Everything, default);

        var only = Assert.Single(findings);
        Assert.Equal(("cluster quorum", "swarm", DoctorStatus.Ok, "not in a swarm"), (only.Check, only.Subject, only.Status, only.Found));
    }

    [Fact]
    public async Task Three_managers_keep_quorum_with_one_member_down_and_lose_it_with_two()
    {
        var managers = new[] { Manager("m1", "10.0.0.1"), Manager("m2", "10.0.0.2"), Manager("m3", "10.0.0.3") };
        var swarm = new FakeSwarm(new SwarmLocalStatus(SwarmLocalState.Active, managers[0].Record.Id, "10.0.0.1", ClusterRole.Manager, ""), managers);
        var down = new HashSet<string> { "10.0.0.3" };
        var sources = Sources(swarm, url => down.Contains(url.Host) ? EtcdMemberStanding.NotAnswering : EtcdMemberStanding.Healthy);

        var one = await new ClusterQuorumCheck().RunAsync(sources, DoctorScope.Everything, default);
        Assert.Equal([DoctorStatus.Ok, DoctorStatus.Ok, DoctorStatus.Problem, DoctorStatus.Ok], one.Select(f => f.Status));
        Assert.Equal("m3 (10.0.0.3)", one[2].Subject);
        Assert.Equal("2 of 3 managers' etcd members answer, 2 needed for quorum: 0 more may be lost", one[3].Found);

        down.Add("10.0.0.2");
        var two = await new ClusterQuorumCheck().RunAsync(sources, DoctorScope.Everything, default);
        var quorum = two[^1];
        Assert.Equal(DoctorStatus.Problem, quorum.Status);
        Assert.Equal("1 of 3 managers' etcd members answer, 2 needed for quorum: " + SwarmErrors.NoLeader, quorum.Found);
        Assert.StartsWith("docker node ls  # then start berthd again on 10.0.0.2, 10.0.0.3", quorum.Fix, StringComparison.Ordinal);
        Assert.Contains("docker swarm init --force-new-cluster", quorum.Fix, StringComparison.Ordinal);
    }

    private static NodeView Manager(string name, string address)
    {
        var node = FakeSwarm.Node(name, address, ClusterRole.Manager);
        return node with { Record = node.Record with { EtcdClientUrl = EtcdClusterBackend.ClientUrl(address) } };
    }

    private DiagnosticSources Sources(ISwarm swarm, Func<Uri, EtcdMemberStanding> members) => new()
    {
        Networks = new StubNetworks(),
        Containers = new StubContainers(),
        Host = host,
        Drivers = new NetworkDriverRegistry([]),
        Swarm = swarm,
        EtcdMembers = (url, _) => Task.FromResult(members(url)),
    };
}
