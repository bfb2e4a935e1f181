using System.Diagnostics;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Reliability;

/// <summary>A manager's etcd member killed under its running berthd: a follower's, then the raft leader's.</summary>
public sealed partial class ClusterChaosTests
{
    /// <summary>etcd's leader election (500 ms) and the store's retry over the other endpoints: well within this.</summary>
    private static readonly TimeSpan WithinWritable = TimeSpan.FromSeconds(15);

    [RootFact]
    public void AnEtcdMemberKilledUnderItsBerthdIsRestartedWhileTheSwarmKeepsWriting()
    {
        StartSwarm(managers: 3, workers: 0);
        Node(1).DockerChecked(["service", "create", "--name", Service, "--replicas", "3", .. WhoAmI]);
        Converge(Stopwatch.StartNew(), WithinFailover, "three tasks", () => SlotsWrong(3));

        int replicas = 3;
        foreach (bool leader in (bool[])[false, true])
        {
            string scenario = leader ? "etcd-leader-kill" : "etcd-follower-kill";
            int victim = Enumerable.Range(1, 3).First(node => IsEtcdLeader(node) == leader);
            int writer = victim % 3 + 1;
            string old = Assert.Single(EtcdPids(victim));
            output.WriteLine($"{scenario}: SIGKILL of node{victim}'s etcd member (pid {old}); berthd {Node(victim).Pid} keeps running");

            // SIGKILL of the member alone: berthd runs on; the others keep the quorum (after an election, for the leader).
            var clock = Stopwatch.StartNew();
            Cmd.Check("kill", "-KILL", old);
            long writable = Converge(clock, WithinWritable, $"{scenario}: writes through node{writer}", () =>
                Node(writer).Docker("node", "update", "--label-add", scenario + "=" + writer, NodeId(writer)) is var write && write.Succeeded ? null : write.Error);

            // berthd notices, starts the member again on its data, and the member serves and votes; the victim's own
            // berthd writes again and a scale through it converges.
            replicas++;
            long recovered = Converge(clock, WithinHeal, $"{scenario}: node{victim}'s member back and serving", () => FirstWrong(
                () => EtcdPids(victim) is [var pid] && pid != old ? null : $"node{victim}'s etcd processes: [{string.Join(",", EtcdPids(victim))}] (killed {old})",
                () => MemberWrong(victim, asker: writer),
                () => Node(victim).Docker("service", "scale", "--detach", $"{Service}={replicas}") is var scale && scale.Succeeded ? null : $"node{victim} refuses a scale: {scale.Error}",
                () => SlotsWrong(replicas)));
            Assert.Contains($"etcd member {NodeId(victim)} (pid {old}) exited", Node(victim).Log, StringComparison.Ordinal);
            Report(scenario, recovered, ("writable_ms", writable));
        }

        Assert.Single(Enumerable.Range(1, 3), IsEtcdLeader);
    }

    /// <summary>Whether node <paramref name="node"/>'s member leads etcd's raft (etcdctl's endpoint status, column IS LEADER).</summary>
    private bool IsEtcdLeader(int node) =>
        Etcdctl(node, node, "endpoint", "status") is { Succeeded: true } status && status.Output.Split(", ") is { Length: > 4 } columns && columns[4] == "true";
}
