using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Berth.Core.Errors;
using Berth.Network.Ipam;
using Xunit.Abstractions;
using static Berth.Network.Tests.Ipam.IpamTestData;

namespace Berth.Network.Tests.Ipam;

public class AddressAllocatorTests(ITestOutputHelper output)
{
    [Fact]
    public void Hands_out_addresses_in_order_skipping_network_and_gateway()
    {
        var allocator = new AddressAllocator("n", Allocation("10.0.0.0/24", "10.0.0.1"));
        Assert.Equal(Ip("10.0.0.2"), allocator.Allocate());
        Assert.Equal(Ip("10.0.0.3"), allocator.Allocate());
        Assert.True(allocator.IsInUse(Ip("10.0.0.0")));
        Assert.True(allocator.IsInUse(Ip("10.0.0.1")));
        Assert.True(allocator.IsInUse(Ip("10.0.0.255")));
    }

    [Fact]
    public void Ip_range_and_aux_addresses_are_honoured()
    {
        var allocator = new AddressAllocator("testnet1",
            Allocation("10.213.0.0/16", "10.213.0.1", "10.213.5.0/30", ("host1", "10.213.5.1"), ("host2", "10.213.0.5")));

        // 10.213.5.0 is a plain host address here (the subnet's network address is 10.213.0.0).
        var got = new[] { allocator.Allocate(), allocator.Allocate(), allocator.Allocate() };
        Assert.Equal([Ip("10.213.5.0"), Ip("10.213.5.2"), Ip("10.213.5.3")], got);

        var error = Assert.Throws<BerthException>(() => allocator.Allocate());
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.StartsWith("no available IPv4 addresses on network \"testnet1\"", error.Message, StringComparison.Ordinal);

        // A preferred address may lie outside the range but inside the subnet (as in Docker).
        Assert.Equal(Ip("10.213.9.9"), allocator.Allocate(Ip("10.213.9.9")));
    }

    [Fact]
    public void Preferred_addresses_are_checked()
    {
        var allocator = new AddressAllocator("n", Allocation("10.0.0.0/24", "10.0.0.1", aux: ("h", "10.0.0.9")));
        Assert.Equal(Ip("10.0.0.50"), allocator.Allocate(Ip("10.0.0.50")));

        var taken = Assert.Throws<BerthException>(() => allocator.Allocate(Ip("10.0.0.50")));
        Assert.Equal(ErrorKind.Conflict, taken.Kind);
        Assert.StartsWith("Address already in use: 10.0.0.50 on network \"n\"", taken.Message, StringComparison.Ordinal);

        var gateway = Assert.Throws<BerthException>(() => allocator.Allocate(Ip("10.0.0.1")));
        Assert.StartsWith("Address already in use: 10.0.0.1 is the gateway of network \"n\"", gateway.Message, StringComparison.Ordinal);
        var aux = Assert.Throws<BerthException>(() => allocator.Allocate(Ip("10.0.0.9")));
        Assert.Contains("is auxiliary address h of network", aux.Message, StringComparison.Ordinal);
        var broadcast = Assert.Throws<BerthException>(() => allocator.Allocate(Ip("10.0.0.255")));
        Assert.Contains("is the broadcast address", broadcast.Message, StringComparison.Ordinal);
        var network = Assert.Throws<BerthException>(() => allocator.Allocate(Ip("10.0.0.0")));
        Assert.Contains("is the network address", network.Message, StringComparison.Ordinal);

        var outside = Assert.Throws<BerthException>(() => allocator.Allocate(Ip("10.0.1.5")));
        Assert.Equal(ErrorKind.InvalidArgument, outside.Kind);
        Assert.StartsWith("requested address 10.0.1.5 is out of range: network \"n\" has subnet 10.0.0.0/24", outside.Message, StringComparison.Ordinal);
        Assert.Throws<BerthException>(() => allocator.Allocate(Ip("fd00::5")));

        // A preferred address does not move the cursor.
        Assert.Equal(Ip("10.0.0.2"), allocator.Allocate());
    }

    [Fact]
    public void Exhaustion_then_release_and_reuse()
    {
        var allocator = new AddressAllocator("small", Allocation("10.0.0.0/29", "10.0.0.1"));
        var all = Enumerable.Range(0, 5).Select(_ => allocator.Allocate()).ToList();
        Assert.Equal(Enumerable.Range(2, 5).Select(i => Ip($"10.0.0.{i}")), all);
        Assert.Equal(UInt128.Zero, allocator.Available);
        Assert.Equal(ErrorKind.Unavailable, Assert.Throws<BerthException>(() => allocator.Allocate()).Kind);

        Assert.True(allocator.Release(Ip("10.0.0.4")));
        Assert.False(allocator.Release(Ip("10.0.0.4")));
        Assert.Equal(UInt128.One, allocator.Available);
        Assert.Equal(Ip("10.0.0.4"), allocator.Allocate());
    }

    [Fact]
    public void Released_addresses_are_reused_late()
    {
        var allocator = new AddressAllocator("n", Allocation("10.0.0.0/24", "10.0.0.1"));
        var first = allocator.Allocate();
        var second = allocator.Allocate();
        allocator.Release(first);
        Assert.Equal(Ip("10.0.0.4"), allocator.Allocate());
        Assert.Equal(Ip("10.0.0.2"), first);
        Assert.Equal(Ip("10.0.0.3"), second);
    }

    [Fact]
    public void The_cursor_wraps_to_the_start_of_the_range()
    {
        var allocator = new AddressAllocator("n", Allocation("10.0.0.0/29", "10.0.0.1"));
        for (int i = 0; i < 5; i++)
        {
            allocator.Allocate();
        }

        allocator.Release(Ip("10.0.0.3"));
        allocator.Release(Ip("10.0.0.6"));
        Assert.Equal(Ip("10.0.0.3"), allocator.Allocate());
        Assert.Equal(Ip("10.0.0.6"), allocator.Allocate());
    }

    [Fact]
    public void Reserved_addresses_are_never_released()
    {
        var allocator = new AddressAllocator("n", Allocation("10.0.0.0/24", "10.0.0.1", aux: ("h", "10.0.0.2")));
        Assert.False(allocator.Release(Ip("10.0.0.1")));
        Assert.False(allocator.Release(Ip("10.0.0.2")));
        Assert.False(allocator.Release(Ip("10.0.0.0")));
        Assert.Equal(Ip("10.0.0.3"), allocator.Allocate());
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => allocator.Release(Ip("10.9.0.1"))).Kind);
    }

    [Fact]
    public void Reserve_restores_state()
    {
        var allocator = new AddressAllocator("n", Allocation("10.0.0.0/24", "10.0.0.1"));
        allocator.Reserve(Ip("10.0.0.2"));
        allocator.Reserve(Ip("10.0.0.3"));
        Assert.Equal(Ip("10.0.0.4"), allocator.Allocate());
        Assert.Equal(ErrorKind.Conflict, Assert.Throws<BerthException>(() => allocator.Reserve(Ip("10.0.0.3"))).Kind);
        Assert.Equal(UInt128.Parse("250", null), allocator.Available);
    }

    [Fact]
    public void IPv6_uses_the_sparse_set()
    {
        var allocator = new AddressAllocator("v6", Allocation("fd00:dead:beef::/64", "fd00:dead:beef::1", aux: ("dns", "fd00:dead:beef::3")));
        Assert.Equal(Ip("fd00:dead:beef::2"), allocator.Allocate());
        Assert.Equal(Ip("fd00:dead:beef::4"), allocator.Allocate());
        Assert.Equal(Ip("fd00:dead:beef::1:0"), allocator.Allocate(Ip("fd00:dead:beef::1:0")));
        Assert.Equal(ErrorKind.Conflict, Assert.Throws<BerthException>(() => allocator.Allocate(Ip("fd00:dead:beef::1"))).Kind);
        Assert.True(allocator.Release(Ip("fd00:dead:beef::2")));
        Assert.Equal(Ip("fd00:dead:beef::5"), allocator.Allocate());
        Assert.Equal((UInt128.One << 64) - 6, allocator.Available);
    }

    [Fact]
    public void IPv6_range_exhaustion_and_wrap()
    {
        var allocator = new AddressAllocator("v6", Allocation("fd00::/64", "fd00::1", "fd00::1:0/126"));
        var got = Enumerable.Range(0, 4).Select(_ => allocator.Allocate()).ToList();
        Assert.Equal([Ip("fd00::1:0"), Ip("fd00::1:1"), Ip("fd00::1:2"), Ip("fd00::1:3")], got);
        var error = Assert.Throws<BerthException>(() => allocator.Allocate());
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.StartsWith("no available IPv6 addresses on network \"v6\"", error.Message, StringComparison.Ordinal);
        allocator.Release(Ip("fd00::1:1"));
        Assert.Equal(Ip("fd00::1:1"), allocator.Allocate());
    }

    [Fact]
    public void Point_to_point_subnets_use_both_addresses()
    {
        var allocator = new AddressAllocator("p2p", Allocation("10.0.0.0/31"));
        Assert.Equal(Ip("10.0.0.0"), allocator.Allocate());
        Assert.Equal(Ip("10.0.0.1"), allocator.Allocate());
    }

    [Fact]
    public async Task Fifty_concurrent_allocations_are_distinct()
    {
        var allocator = new AddressAllocator("busy", Allocation("10.0.0.0/24", "10.0.0.1"));
        var results = new ConcurrentBag<IPAddress>();
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 50).Select(_ => Task.Run(() =>
        {
            start.Wait();
            results.Add(allocator.Allocate());
        })).ToList();
        start.Set();
        await Task.WhenAll(tasks);

        Assert.Equal(50, results.Count);
        Assert.Equal(50, results.Distinct().Count());
        Assert.DoesNotContain(Ip("10.0.0.1"), results);
        Assert.Equal(UInt128.Parse("203", null), allocator.Available);
    }

    [Fact]
    public async Task Concurrent_allocate_and_release_never_share_an_address()
    {
        var allocator = new AddressAllocator("churn", Allocation("10.0.0.0/28", "10.0.0.1"));
        var held = new ConcurrentDictionary<IPAddress, int>();
        int duplicates = 0;
        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                IPAddress address;
                try
                {
                    address = allocator.Allocate();
                }
                catch (BerthException e) when (e.Kind == ErrorKind.Unavailable)
                {
                    continue;
                }

                if (!held.TryAdd(address, 0))
                {
                    Interlocked.Increment(ref duplicates);
                }

                held.TryRemove(address, out int _);
                allocator.Release(address);
            }
        })).ToList();
        await Task.WhenAll(tasks);
        Assert.Equal(0, duplicates);
        Assert.Equal(UInt128.Parse("13", null), allocator.Available);
    }

    [Fact]
    public void Allocating_ten_thousand_addresses_in_a_slash_16_is_fast()
    {
        var allocator = new AddressAllocator("big", Allocation("10.0.0.0/16", "10.0.0.1"));
        var stopwatch = Stopwatch.StartNew();
        var seen = new HashSet<IPAddress>();
        for (int i = 0; i < 10_000; i++)
        {
            Assert.True(seen.Add(allocator.Allocate()));
        }

        stopwatch.Stop();
        output.WriteLine($"10,000 IPv4 allocations in a /16: {stopwatch.Elapsed.TotalMilliseconds:F1} ms");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");

        var v6 = new AddressAllocator("big6", Allocation("fd00::/64", "fd00::1"));
        stopwatch.Restart();
        for (int i = 0; i < 10_000; i++)
        {
            v6.Allocate();
        }

        output.WriteLine($"10,000 IPv6 allocations in a /64: {stopwatch.Elapsed.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public void A_full_slash_16_is_exhausted_exactly()
    {
        var allocator = new AddressAllocator("full", Allocation("10.0.0.0/16", "10.0.0.1"));
        var stopwatch = Stopwatch.StartNew();
        int count = 0;
        while (allocator.Available > UInt128.Zero)
        {
            allocator.Allocate();
            count++;
        }

        output.WriteLine($"{count} allocations (whole /16): {stopwatch.Elapsed.TotalMilliseconds:F1} ms");
        Assert.Equal(65536 - 3, count);
        Assert.Equal(ErrorKind.Unavailable, Assert.Throws<BerthException>(() => allocator.Allocate()).Kind);
    }

    [Fact]
    public void Aux_address_outside_the_subnet_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => new AddressAllocator("n", Allocation("10.0.0.0/24", aux: ("h", "10.1.0.1"))));
    }
}
