using System.Net;
using Berth.Core.Ports;
using Berth.Diagnostics.Doctor.Checks;
using Berth.Linux.Sockets;

namespace Berth.Diagnostics.Tests.Doctor.Checks;

public sealed class PortsCheckTests
{
    private static PublishedPort Port(string hostIp, ushort hostPort) =>
        new(new ContainerPort(80, PortProtocol.Tcp), IPAddress.Parse(hostIp), hostPort, IPAddress.Parse("172.17.0.2"));

    [Fact]
    public void A_listener_conflicts_on_the_same_port_when_the_addresses_overlap()
    {
        ListeningSocket[] listeners =
        [
            new(IPEndPoint.Parse("127.0.0.1:8080"), 1),
            new(IPEndPoint.Parse("0.0.0.0:8081"), 2),
            new(IPEndPoint.Parse("[::]:8082"), 3),
            new(IPEndPoint.Parse("10.77.0.10:8083"), 4),
        ];

        Assert.Equal([1ul], PortsCheck.Conflicting(Port("0.0.0.0", 8080), listeners).Select(l => l.Inode));
        Assert.Equal([2ul], PortsCheck.Conflicting(Port("10.77.0.10", 8081), listeners).Select(l => l.Inode));
        Assert.Equal([3ul], PortsCheck.Conflicting(Port("0.0.0.0", 8082), listeners).Select(l => l.Inode));
        Assert.Empty(PortsCheck.Conflicting(Port("127.0.0.1", 8083), listeners));
    }

    [Fact]
    public void Ports_on_every_address_are_probed_on_loopback_or_the_hosts_global_ipv6_address()
    {
        var v6 = IPAddress.Parse("2001:db8::10");

        Assert.Equal(IPAddress.Loopback, PortsCheck.ProbeAddress(Port("0.0.0.0", 8080), v6));
        Assert.Equal(IPAddress.Parse("10.77.0.10"), PortsCheck.ProbeAddress(Port("10.77.0.10", 8080), v6));
        Assert.Equal(v6, PortsCheck.ProbeAddress(Port("::", 8080), v6));
        Assert.Null(PortsCheck.ProbeAddress(Port("::", 8080), null));
    }
}
