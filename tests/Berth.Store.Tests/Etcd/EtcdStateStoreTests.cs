using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Store.Tests.Etcd;

/// <summary>What the etcd store adds to the contract: failover, deadlines, TLS, leases. One shared member; tests that need their own start it.</summary>
public sealed class EtcdStateStoreTests : IClassFixture<EtcdFixture>
{
    private readonly EtcdFixture _fixture;

    public EtcdStateStoreTests(EtcdFixture fixture)
    {
        _fixture = fixture;
    }

    [EtcdFact]
    public async Task A_dead_first_endpoint_is_skipped_for_reads_writes_and_watches()
    {
        var dead = DeadEndpoint();
        await using var store = await EtcdStateStore.ConnectAsync(_fixture.Options(dead, _fixture.ClientUrl));

        var watch = Watching.TakeAsync(store.WatchAsync("nodes/"), 2);
        var revision = await store.PutAsync("nodes/a", Bytes("up"));
        Assert.True((await store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare("nodes/a", revision)],
            Success = [StoreOperation.Put("nodes/a", Bytes("still up"))],
        })).Succeeded);

        Assert.Equal("still up", Text(await store.GetAsync("nodes/a")));
        Assert.Equal([revision, revision + 1], (await watch).Select(e => e.Revision));
    }

    [EtcdFact]
    public async Task An_unreachable_etcd_is_unavailable_within_the_deadline_and_named()
    {
        var options = _fixture.Options(DeadEndpoint(), DeadEndpoint()) with { RequestTimeout = TimeSpan.FromSeconds(2) };
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => EtcdStateStore.ConnectAsync(options));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(4), $"took {started.Elapsed}");
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains(options.Endpoints[0].ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(options.Endpoints[1].ToString(), error.Message, StringComparison.Ordinal);
    }

    [EtcdFact]
    public async Task A_key_under_a_lease_goes_when_the_lease_expires_and_stays_while_kept_alive()
    {
        await using var store = await EtcdStateStore.ConnectAsync(_fixture.Options());
        // etcd's minimum TTL with the fixture's 500 ms election timeout is 1 s; 2 s leaves room for a slow machine.
        var lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(2));
        Assert.True(lease.Ttl >= TimeSpan.FromSeconds(2));
        var revision = await store.PutAsync("nodes/n1/alive", Bytes("1"), lease.Id);
        var watch = Watching.TakeAsync(store.WatchAsync("nodes/", revision), 1);

        // Kept alive past its TTL, the key stays.
        var keptUntil = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (DateTime.UtcNow < keptUntil)
        {
            Assert.True(await store.KeepAliveAsync(lease.Id) > TimeSpan.Zero);
            await Task.Delay(500);
        }

        Assert.NotNull(await store.GetAsync("nodes/n1/alive"));
        Assert.False(watch.IsCompleted);

        // Left alone, it expires: the key's delete is an ordinary watched event.
        var gone = Assert.Single(await watch);
        Assert.Equal((StoreEventKind.Delete, "nodes/n1/alive"), (gone.Kind, gone.Key));
        Assert.Null(await store.GetAsync("nodes/n1/alive"));
        var error = await Assert.ThrowsAsync<BerthException>(() => store.KeepAliveAsync(lease.Id));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [EtcdFact]
    public async Task A_revoked_lease_takes_its_keys_and_a_claim_in_a_transaction_can_use_one()
    {
        await using var store = await EtcdStateStore.ConnectAsync(_fixture.Options());
        var lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(30));

        // Leader election's claim: create the key only if absent, attached to the claimant's lease.
        var claim = new StoreTransaction
        {
            Compares = [new StoreCompare("leader", 0)],
            Success = [StoreOperation.Put("leader", Bytes("node-1"), lease.Id)],
        };
        Assert.True((await store.TransactAsync(claim)).Succeeded);
        Assert.False((await store.TransactAsync(claim)).Succeeded);

        await store.RevokeLeaseAsync(lease.Id);

        Assert.Null(await store.GetAsync("leader"));
        await store.RevokeLeaseAsync(lease.Id);
        var error = await Assert.ThrowsAsync<BerthException>(() => store.PutAsync("late", Bytes("x"), lease.Id));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [EtcdFact]
    public async Task Mutual_tls_with_a_test_made_ca_works_and_a_stranger_is_refused()
    {
        using var tls = new EtcdTls();
        await using var etcd = await EtcdProcess.StartAsync(tls);
        var options = _fixture.Options(etcd.ClientUrl) with { ClientCertificate = tls.Client, TrustedCa = tls.Ca };

        await using (var store = await EtcdStateStore.ConnectAsync(options))
        {
            var watch = Watching.TakeAsync(store.WatchAsync("secure/"), 1);
            await store.PutAsync("secure/a", Bytes("over mTLS"));
            Assert.Equal("over mTLS", Text(await store.GetAsync("secure/a")));
            Assert.Equal("secure/a", Assert.Single(await watch).Key);
        }

        using var stranger = EtcdTls.MakeStranger();
        var refused = await Assert.ThrowsAnyAsync<BerthException>(() => EtcdStateStore.ConnectAsync(options with { ClientCertificate = stranger }));
        Assert.Equal(ErrorKind.Unavailable, refused.Kind);

        // The member's certificate must chain to the given CA, not merely be a certificate.
        using var otherCa = new EtcdTls();
        var untrusted = await Assert.ThrowsAnyAsync<BerthException>(() => EtcdStateStore.ConnectAsync(options with { TrustedCa = otherCa.Ca }));
        Assert.Equal(ErrorKind.Unavailable, untrusted.Kind);
        Assert.Contains("certificate", untrusted.Message, StringComparison.Ordinal);
    }

    /// <summary>etcd's election after a leader's death takes about a second (election timeout 1 s) and more on a loaded machine.</summary>
    private static async Task PutDuringElectionAsync(EtcdStateStore store, string key, string value)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await store.PutAsync(key, Bytes(value));
                return;
            }
            catch (BerthException e) when (e.Kind == ErrorKind.Unavailable && deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>A write retried during an election may have been applied twice: the keys until <paramref name="last"/>.</summary>
    private static async Task<List<string>> KeysUntilAsync(IAsyncEnumerable<StoreEvent> watch, string last)
    {
        using var deadline = new CancellationTokenSource(Watching.Deadline);
        var keys = new List<string>();
        await foreach (var change in watch.WithCancellation(deadline.Token))
        {
            keys.Add(change.Key);
            if (change.Key == last)
            {
                break;
            }
        }

        return keys;
    }

    [EtcdFact]
    public async Task Three_members_survive_one_loss_and_without_quorum_refuse_writes_in_time_but_still_read()
    {
        var members = await EtcdProcess.StartClusterAsync(3);
        try
        {
            var options = _fixture.Options([.. members.Select(m => m.ClientUrl)]) with { RequestTimeout = TimeSpan.FromSeconds(2) };
            await using var store = await EtcdStateStore.ConnectAsync(options);
            var before = await store.PutAsync("services/web", Bytes("1"));
            var watch = KeysUntilAsync(store.WatchAsync("services/", before), "services/db");

            // The first member (where the store and its watch started) dies: the rest keep quorum, nothing is lost.
            await members[0].KillAsync();
            // If it was the leader, writes fail (Unavailable) until the two elect another: retried as a caller would.
            await PutDuringElectionAsync(store, "services/web", "2");
            await store.PutAsync("services/db", Bytes("1"));
            Assert.Equal(["services/web", "services/db"], (await watch).Distinct());

            // A second loss leaves one of three: no quorum.
            await members[1].KillAsync();
            var started = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.PutAsync("services/web", Bytes("3")));
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(4), $"the write took {started.Elapsed}");
            Assert.Equal(ErrorKind.Unavailable, error.Kind);
            Assert.Contains("quorum", error.Message, StringComparison.Ordinal);

            // The survivor still answers reads from its own copy.
            Assert.Equal("2", Text(await store.GetAsync("services/web")));
            Assert.Equal(["services/db", "services/web"], (await store.ListAsync("services/")).Select(e => e.Key));
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    [EtcdFact]
    public async Task The_preferred_member_without_a_leader_is_heard_at_once_before_a_member_that_never_answers()
    {
        var members = await EtcdProcess.StartClusterAsync(3);
        // Accepts connections and never answers: a member cut off from this node, as a partition makes it.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var silentUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");
        try
        {
            var options = _fixture.Options(members[2].ClientUrl);
            await using (var setup = await EtcdStateStore.ConnectAsync(options))
            {
                await setup.PutAsync("services/web", Bytes("1"));
            }

            await members[0].KillAsync();
            await members[1].KillAsync();
            await UntilNoLeaderAsync(options);
            options = options with { Endpoints = [silentUrl, members[2].ClientUrl] };

            // Preferring the survivor (this node's own member): it is asked first, so it reads at once from its own
            // copy and its "no leader" refuses the write at once, from the very first call on.
            var started = Stopwatch.StartNew();
            await using (var preferring = await EtcdStateStore.ConnectAsync(options with { PreferredEndpoint = members[2].ClientUrl }))
            {
                Assert.Equal("1", Text(await preferring.GetAsync("services/web")));
                await Assert.ThrowsAsync<StoreUnavailableException>(() => preferring.PutAsync("services/web", Bytes("2")));
                Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), $"connecting, a read and a refused write took {started.Elapsed}");
            }

            // Without the preference the first call meets the silent member first and waits out its share of the deadline.
            started.Restart();
            await using (await EtcdStateStore.ConnectAsync(options))
            {
                Assert.True(started.Elapsed > TimeSpan.FromSeconds(1.2), $"connected in {started.Elapsed}: the control did not meet the silent member first");
            }
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    /// <summary>Until the only member of <paramref name="options"/> knows it has no leader (it refuses a write at once), as a cut-off member soon does.</summary>
    private static async Task UntilNoLeaderAsync(EtcdStoreOptions options)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var started = Stopwatch.StartNew();
            try
            {
                await using var store = await EtcdStateStore.ConnectAsync(options with { RequestTimeout = TimeSpan.FromSeconds(1) });
                started.Restart();
                await store.PutAsync("probe", Bytes("x"));
            }
            catch (BerthException) when (started.Elapsed < TimeSpan.FromMilliseconds(300))
            {
                return;
            }
            catch (BerthException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "the surviving member never said it has no leader");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Local_stores_refuse_a_put_under_a_lease()
    {
        await using var store = new InMemoryStateStore();
        var error = await Assert.ThrowsAsync<BerthException>(() => store.TransactAsync(new StoreTransaction
        {
            Success = [StoreOperation.Put("leader", Bytes("node-1"), 7)],
        }));
        Assert.Equal(ErrorKind.NotSupported, error.Kind);
        Assert.Equal(0, await store.GetRevisionAsync());
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(StoreEntry? entry) => entry is null ? "<absent>" : Encoding.UTF8.GetString(entry.Value.Span);

    // A port nothing listens on: bound, then closed, so a connection is refused at once.
    private static Uri DeadEndpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    }
}
