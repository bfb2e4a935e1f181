using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Ipam;
using Berth.Network.Persistence;
using Berth.Store;

namespace Berth.Network.Tests.Networks;

/// <summary>Two network managers over one store, as two daemons sharing a cluster store will be.</summary>
public sealed class SharedStoreNetworkTests
{
    private readonly InMemoryStateStore _store = new();

    [Fact]
    public async Task Two_daemons_creating_networks_at_once_get_subnets_that_do_not_overlap()
    {
        using var a = await Daemon.StartAsync(_store);
        using var b = await Daemon.StartAsync(_store);
        var creates = Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            (i % 2 == 0 ? a : b).Networks.CreateAsync(new NetworkConfig { Name = $"net{i}", Driver = "fake" })));
        var made = await Task.WhenAll(creates);

        var subnets = made.Select(n => n.Subnets.Single().Subnet).ToList();
        foreach (var (x, i) in subnets.Select((s, i) => (s, i)))
        {
            foreach (var y in subnets.Skip(i + 1))
            {
                Assert.False(IPNetworkMath.Overlaps(x, y), $"{x} overlaps {y}");
            }
        }

        // The predefined bridge's subnet is in the claims too.
        var claims = await new NetworkRepository(_store).LoadSubnetClaimsAsync();
        Assert.Equal(21, claims.Lines.Length);
    }

    [Fact]
    public async Task A_name_is_claimed_once_by_two_daemons_creating_it_at_once()
    {
        using var a = await Daemon.StartAsync(_store);
        using var b = await Daemon.StartAsync(_store);
        var attempts = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await (i % 2 == 0 ? a : b).Networks.CreateAsync(new NetworkConfig { Name = "shared", Driver = "fake" });
                return (BerthException?)null;
            }
            catch (BerthException e)
            {
                return e;
            }
        }));
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r is null);
        Assert.All(results.OfType<BerthException>(), e => Assert.Equal(ErrorKind.Conflict, e.Kind));
        var stored = (await new NetworkRepository(_store).LoadAllAsync()).Where(n => n.Network.Name == "shared").ToList();
        Assert.Single(stored);
        Assert.Equal(stored[0].Network.Id.Value, await new NetworkRepository(_store).NameOwnerAsync("shared"));
    }

    [Fact]
    public async Task A_network_made_or_removed_by_one_daemon_shows_up_in_the_other_through_its_watch()
    {
        using var a = await Daemon.StartAsync(_store);
        using var b = await Daemon.StartAsync(_store);
        var made = await a.Networks.CreateAsync(new NetworkConfig { Name = "seen", Driver = "fake" });

        await Eventually(async () => (await b.Networks.ListAsync()).Any(n => n.Id == made.Id));
        Assert.Equal(made.Subnets.Select(s => s.Subnet), (await b.Networks.GetAsync("seen")).Subnets.Select(s => s.Subnet));

        // The name is taken for b too, through the store.
        var twice = await Assert.ThrowsAsync<BerthException>(() => b.Networks.CreateAsync(new NetworkConfig { Name = "seen", Driver = "fake" }));
        Assert.Equal(ErrorKind.Conflict, twice.Kind);

        await a.Networks.DeleteAsync("seen");
        await Eventually(async () => !(await b.Networks.ListAsync()).Any(n => n.Id == made.Id));
        Assert.Null(await new NetworkRepository(_store).NameOwnerAsync("seen"));
    }

    [Fact]
    public async Task Phases_are_written_with_compare_and_swap_and_the_record_ends_ready()
    {
        using var a = await Daemon.StartAsync(_store);
        var made = await a.Networks.CreateAsync(new NetworkConfig { Name = "cas", Driver = "fake" });
        var entry = await _store.GetAsync(NetworkRepository.Key(made.Id));
        Assert.NotNull(entry);
        Assert.Equal(NetworkPhase.Ready, NetworkRepository.Decode(entry).Phase);

        // Creating, then Ready: two versions of one key.
        Assert.Equal(2, entry.Version);
        Assert.Contains("create cas", a.Fake.Calls);
    }

    internal static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(10);
        }
    }
}
