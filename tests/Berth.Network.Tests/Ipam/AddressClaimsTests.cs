using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Ipam;
using Berth.Store;

namespace Berth.Network.Tests.Ipam;

/// <summary>Addresses claimed in a store shared by two "daemons" (two <see cref="AddressClaims"/>, each with its own hints).</summary>
public sealed class AddressClaimsTests
{
    private static readonly NetworkId Network = NetworkId.New();

    private readonly InMemoryStateStore _store = new();
    private readonly AddressClaims _a;
    private readonly AddressClaims _b;

    public AddressClaimsTests()
    {
        _a = new AddressClaims(_store);
        _b = new AddressClaims(_store);
    }

    private static SubnetAllocation Pool(string subnet) => new()
    {
        Subnet = IPNetwork.Parse(subnet),
        Gateway = IPAddress.Parse(subnet[..subnet.LastIndexOf('.')] + ".1"),
    };

    [Fact]
    public async Task Fifty_concurrent_callers_across_two_daemons_never_share_an_address()
    {
        var pool = Pool("10.60.0.0/24");
        const int PerCaller = 4;
        var callers = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            var claims = i % 2 == 0 ? _a : _b;
            var mine = new List<IPAddress>();
            for (int n = 0; n < PerCaller; n++)
            {
                mine.Add(await claims.ClaimAsync(Network, "n", pool, $"c{i}-{n}"));
            }

            return mine;
        }));

        var all = (await Task.WhenAll(callers)).SelectMany(x => x).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
        Assert.DoesNotContain(IPAddress.Parse("10.60.0.1"), all);
        Assert.DoesNotContain(IPAddress.Parse("10.60.0.0"), all);
        Assert.Equal(200, (await _store.ListAsync(AddressClaims.PrefixOf(Network))).Count);
    }

    [Fact]
    public async Task A_daemon_whose_hint_is_stale_retries_past_addresses_the_other_claimed()
    {
        var pool = Pool("10.61.0.0/24");
        Assert.Equal(IPAddress.Parse("10.61.0.2"), await _b.ClaimAsync(Network, "n", pool, "b1"));

        // a's hint is built now and knows .2; b's hint does not know what a takes next.
        Assert.Equal(IPAddress.Parse("10.61.0.3"), await _a.ClaimAsync(Network, "n", pool, "a1"));
        Assert.Equal(IPAddress.Parse("10.61.0.4"), await _a.ClaimAsync(Network, "n", pool, "a2"));
        Assert.Equal(IPAddress.Parse("10.61.0.5"), await _a.ClaimAsync(Network, "n", pool, "a3"));

        // b's cursor stands at .3: its transactions for .3, .4, .5 fail their compare, .6 commits.
        Assert.Equal(IPAddress.Parse("10.61.0.6"), await _b.ClaimAsync(Network, "n", pool, "b2"));
        var owners = await _a.ListAsync(Network);
        Assert.Equal(["a1", "a2", "a3", "b1", "b2"], owners.Values.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_address_released_by_one_daemon_is_handed_out_by_the_other_once_the_range_is_used_up()
    {
        var pool = Pool("10.62.0.0/29"); // .0 network, .1 gateway, .7 broadcast: .2-.6 for containers
        var taken = new List<IPAddress>();
        for (int i = 0; i < 5; i++)
        {
            taken.Add(await _a.ClaimAsync(Network, "n", pool, $"a{i}"));
        }

        var full = await Assert.ThrowsAsync<BerthException>(() => _b.ClaimAsync(Network, "n", pool, "b"));
        Assert.Equal(ErrorKind.Unavailable, full.Kind);

        Assert.True(await _a.ReleaseAsync(Network, "n", pool, IPAddress.Parse("10.62.0.4"), "a2"));
        Assert.Null(await _store.GetAsync(AddressClaims.KeyOf(Network, IPAddress.Parse("10.62.0.4"))));

        // b's hint still says "all taken": it is rebuilt from the store, which has .4 free.
        Assert.Equal(IPAddress.Parse("10.62.0.4"), await _b.ClaimAsync(Network, "n", pool, "b"));

        // a's own next-fit wraps to the start of the range and finds nothing free.
        var again = await Assert.ThrowsAsync<BerthException>(() => _a.ClaimAsync(Network, "n", pool, "a9"));
        Assert.Equal(ErrorKind.Unavailable, again.Kind);
    }

    [Fact]
    public async Task A_required_address_is_claimed_once_and_only_its_owner_releases_it()
    {
        var pool = Pool("10.63.0.0/24");
        var wanted = IPAddress.Parse("10.63.0.40");
        Assert.Equal(wanted, await _a.ClaimAsync(Network, "n", pool, "a", required: wanted));

        var taken = await Assert.ThrowsAsync<BerthException>(() => _b.ClaimAsync(Network, "n", pool, "b", required: wanted));
        Assert.Equal(ErrorKind.Conflict, taken.Kind);
        Assert.StartsWith("Address already in use", taken.Message, StringComparison.Ordinal);

        // A preference is not a requirement: b gets another address.
        Assert.NotEqual(wanted, await _b.ClaimAsync(Network, "n", pool, "b", preferred: wanted));

        Assert.False(await _b.ReleaseAsync(Network, "n", pool, wanted, "b"));
        Assert.NotNull(await _store.GetAsync(AddressClaims.KeyOf(Network, wanted)));
        Assert.True(await _a.ReleaseAsync(Network, "n", pool, wanted, "a"));

        // b's hint had it as taken; the store says free.
        Assert.Equal(wanted, await _b.ClaimAsync(Network, "n", pool, "b2", required: wanted));

        var gateway = await Assert.ThrowsAsync<BerthException>(() => _b.ClaimAsync(Network, "n", pool, "b3", required: IPAddress.Parse("10.63.0.1")));
        Assert.Equal(ErrorKind.Conflict, gateway.Kind);
    }
}
