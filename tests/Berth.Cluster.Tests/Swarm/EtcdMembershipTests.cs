using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Etcd;
using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Cluster.Tests.Etcd;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Cluster.Tests.Swarm;

/// <summary>
/// Membership changes on a real etcd 3.4 of three members on loopback, with auth on as a swarm has it: a learner
/// added and promoted even when the first endpoint asked is a follower (a follower forwards a promotion without
/// the caller's identity, and the leader refuses it).
/// </summary>
/// <remarks>xunit 2 disposes a test class through IAsyncLifetime, never through IAsyncDisposable.</remarks>
public sealed class EtcdMembershipTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "berth-membership-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<EtcdMember> _members = [];

    [Fact]
    public async Task ALearnerIsPromotedThroughAFollowerWithAuthOn()
    {
        var node = NodeId.New();
        EtcdTlsFiles tls = TestCertificates.Write(Path.Combine(_directory, "certs"), node.Value);
        using var certificate = X509Certificate2.CreateFromPemFile(tls.CertificateFile, tls.KeyFile);
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(tls.CaFile));

        var peers = Enumerable.Range(1, 3).Select(i => new EtcdPeer($"m{i}", Loopback())).ToArray();
        var clients = Enumerable.Range(1, 3).Select(_ => Loopback()).ToArray();
        await StartAsync(tls, peers[0], clients[0], [peers[0]], joinExisting: false);
        using (var first = new EtcdMembership([clients[0]], certificate, ca))
        {
            await first.EnableAuthAsync(node);
            await AddAndPromoteAsync(first, tls, peers[..2], clients[1]);
        }

        // m1 leads (it was alone when it was elected); m2 follows and is asked first.
        using var followerFirst = new EtcdMembership([clients[1], clients[0]], certificate, ca);
        var learner = await RetryAsync(() => followerFirst.AddLearnerAsync(peers[2].PeerUrl));
        await StartAsync(tls, peers[2], clients[2], peers, joinExisting: true);
        await RetryAsync(async () =>
        {
            await followerFirst.PromoteAsync(learner.Id);
            return true;
        });

        var members = await followerFirst.ListAsync();
        Assert.Equal(3, members.Count);
        Assert.DoesNotContain(members, m => m.IsLearner);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var member in _members)
        {
            await member.DisposeAsync();
        }

        // The leak guard: no member of this test outlives it.
        var left = Process.GetProcessesByName("etcd").Where(p => CommandLine(p.Id).Contains(_directory, StringComparison.Ordinal)).ToList();
        foreach (var process in left)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        Directory.Delete(_directory, recursive: true);
        Assert.Empty(left);
    }

    private async Task AddAndPromoteAsync(EtcdMembership membership, EtcdTlsFiles tls, EtcdPeer[] cluster, Uri client)
    {
        var learner = await RetryAsync(() => membership.AddLearnerAsync(cluster[^1].PeerUrl));
        await StartAsync(tls, cluster[^1], client, cluster, joinExisting: true);
        await RetryAsync(async () =>
        {
            await membership.PromoteAsync(learner.Id);
            return true;
        });
    }

    private async Task StartAsync(EtcdTlsFiles tls, EtcdPeer peer, Uri client, EtcdPeer[] cluster, bool joinExisting)
    {
        var member = new EtcdMember(new EtcdMemberOptions
        {
            Binary = "/usr/bin/etcd",
            Name = peer.Name,
            DataDirectory = Path.Combine(_directory, peer.Name, "etcd"),
            ClientUrl = client,
            PeerUrl = peer.PeerUrl,
            InitialCluster = [.. cluster],
            JoinExisting = joinExisting,
            ClusterToken = "membership-test",
            Tls = tls,
        }, NullLogger.Instance);
        _members.Add(member);
        await member.StartAsync();
    }

    /// <summary>What etcd refuses for now (a learner not caught up, "unhealthy cluster" within its health interval) is asked again.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (BerthException e) when (e.Kind is ErrorKind.Conflict or ErrorKind.Unavailable && clock.Elapsed < Deadline)
            {
                await Task.Delay(300);
            }
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static Uri Loopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    }
}
