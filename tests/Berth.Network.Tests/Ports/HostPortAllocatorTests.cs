using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Core.Ports;
using Berth.Network.Ports;

namespace Berth.Network.Tests.Ports;

/// <summary>
/// The allocator binds real sockets, only on loopback addresses of the test's own namespace and never sends a
/// packet. Ports come from a private range picked per test, so parallel tests do not meet.
/// </summary>
public sealed class HostPortAllocatorTests : IDisposable
{
    private static int _nextRange = 41000 + (Environment.ProcessId % 200) * 40;
    private readonly ushort _low;
    private readonly HostPortAllocator _allocator;

    public HostPortAllocatorTests()
    {
        _low = (ushort)Interlocked.Add(ref _nextRange, 40);
        _allocator = new HostPortAllocator(new EphemeralPortRange(_low, (ushort)(_low + 3)));
    }

    public void Dispose() => _allocator.Dispose();

    [Fact]
    public void A_fixed_port_is_held_against_berth_and_against_other_programs_until_released()
    {
        IPAddress[] loopback = [IPAddress.Loopback];
        ushort port = (ushort)(_low + 10);
        Assert.Equal(port, _allocator.Reserve("a", PortProtocol.Tcp, loopback, port, port));

        var again = Assert.Throws<BerthException>(() => _allocator.Reserve("b", PortProtocol.Tcp, loopback, port, port));
        Assert.Equal(ErrorKind.Conflict, again.Kind);
        Assert.Equal($"Bind for 127.0.0.1:{port} failed: port is already allocated", again.Message);

        // Another program, even one asking for SO_REUSEADDR, cannot take it.
        using (var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            other.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            var refused = Assert.Throws<SocketException>(() => other.Bind(new IPEndPoint(IPAddress.Loopback, port)));
            Assert.Equal(SocketError.AddressAlreadyInUse, refused.SocketErrorCode);
        }

        // The same number for udp is another port.
        Assert.Equal(port, _allocator.Reserve("b", PortProtocol.Udp, loopback, port, port));
        _allocator.Release("a");
        Assert.Equal(port, _allocator.Reserve("b", PortProtocol.Tcp, loopback, port, port));
        Assert.Equal(2, _allocator.Count);
        _allocator.Release("b");
        Assert.Equal(0, _allocator.Count);
    }

    [Fact]
    public void Every_address_collides_with_one_address_of_its_family()
    {
        ushort port = (ushort)(_low + 11);
        _allocator.Reserve("a", PortProtocol.Tcp, [IPAddress.Loopback], port, port);
        var e = Assert.Throws<BerthException>(() => _allocator.Reserve("b", PortProtocol.Tcp, [IPAddress.Any], port, port));
        Assert.Contains($"0.0.0.0:{port} failed: port is already allocated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_taken_by_another_program_is_named_as_such()
    {
        ushort port = (ushort)(_low + 12);
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(IPAddress.Loopback, port));
        other.Listen();
        var e = Assert.Throws<BerthException>(() => _allocator.Reserve("a", PortProtocol.Tcp, [IPAddress.Loopback], port, port));
        Assert.Contains("already in use by another program", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, _allocator.Count);
    }

    [Fact]
    public void A_range_gives_its_first_free_port_and_fails_whole_when_full()
    {
        ushort start = (ushort)(_low + 20);
        IPAddress[] loopback = [IPAddress.Loopback];
        Assert.Equal(start, _allocator.Reserve("a", PortProtocol.Tcp, loopback, start, (ushort)(start + 1)));
        Assert.Equal(start + 1, _allocator.Reserve("b", PortProtocol.Tcp, loopback, start, (ushort)(start + 1)));
        var e = Assert.Throws<BerthException>(() => _allocator.Reserve("c", PortProtocol.Tcp, loopback, start, (ushort)(start + 1)));
        Assert.Contains("every port of the range is taken", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_port_walks_the_ephemeral_range_and_says_when_it_is_exhausted()
    {
        IPAddress[] loopback = [IPAddress.Loopback];
        var got = Enumerable.Range(0, 4).Select(i => _allocator.Reserve("c" + i, PortProtocol.Tcp, loopback, 0, 0)).ToList();
        Assert.Equal(Enumerable.Range(_low, 4).Select(p => (ushort)p), got);
        var e = Assert.Throws<BerthException>(() => _allocator.Reserve("x", PortProtocol.Tcp, loopback, 0, 0));
        Assert.Contains($"no free port in the ephemeral range {_low}-{_low + 3}", e.Message, StringComparison.Ordinal);
        _allocator.Release("c1");
        Assert.Equal(_low + 1, _allocator.Reserve("x", PortProtocol.Tcp, loopback, 0, 0));
    }

    [Fact]
    public void An_address_the_host_does_not_have_is_refused_with_what_to_do()
    {
        ushort port = (ushort)(_low + 13);
        var e = Assert.Throws<BerthException>(() => _allocator.Reserve("a", PortProtocol.Tcp, [IPAddress.Parse("192.0.2.77")], port, port));
        Assert.Contains("192.0.2.77 is not an address of this host", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_holds_exactly_the_port_again()
    {
        ushort port = (ushort)(_low + 14);
        Assert.Null(_allocator.Restore("a", PortProtocol.Tcp, IPAddress.Loopback, port));
        Assert.Contains("already allocated", _allocator.Restore("b", PortProtocol.Tcp, IPAddress.Loopback, port), StringComparison.Ordinal);
    }
}
