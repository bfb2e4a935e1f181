using System.Net;
using Berth.Core.Errors;
using Berth.Core.Ports;

namespace Berth.Network.Tests.Ports;

public class PortParsingTests
{
    [Theory]
    [InlineData("80", 80, PortProtocol.Tcp, "80/tcp")]
    [InlineData("80/tcp", 80, PortProtocol.Tcp, "80/tcp")]
    [InlineData("53/UDP", 53, PortProtocol.Udp, "53/udp")]
    [InlineData("65535/udp", 65535, PortProtocol.Udp, "65535/udp")]
    public void Container_ports_parse_as_docker_writes_them(string text, int number, PortProtocol protocol, string written)
    {
        var port = ContainerPort.Parse(text, "ExposedPorts");
        Assert.Equal(new ContainerPort((ushort)number, protocol), port);
        Assert.Equal(written, port.ToString());
    }

    [Theory]
    [InlineData("0/tcp", "the port must be a number from 1 to 65535")]
    [InlineData("65536", "the port must be a number from 1 to 65535")]
    [InlineData("http/tcp", "the port must be a number from 1 to 65535")]
    [InlineData("80/xtp", "invalid proto \"xtp\"; use tcp or udp")]
    [InlineData("80/sctp", "sctp ports are not supported by Berth")]
    [InlineData("80-81/tcp", "the port must be a number")]
    public void Bad_container_ports_name_the_field_and_the_problem(string text, string problem)
    {
        var e = Assert.Throws<BerthException>(() => ContainerPort.Parse(text, "PortBindings"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith("PortBindings: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_bindings_take_an_address_a_port_a_range_or_nothing()
    {
        var web = new ContainerPort(80, PortProtocol.Tcp);
        Assert.Equal(new PortBinding(web, null, 0, 0), PortBinding.Parse(web, "", ""));
        Assert.Equal(new PortBinding(web, null, 8080, 8080), PortBinding.Parse(web, null, "8080"));
        Assert.Equal(new PortBinding(web, IPAddress.Loopback, 8000, 8010), PortBinding.Parse(web, "127.0.0.1", "8000-8010"));
        Assert.Equal(IPAddress.IPv6Loopback, PortBinding.Parse(web, "[::1]", "80").HostIp);
        Assert.True(PortBinding.Parse(web, "", "").AnyHostPort);
        Assert.Equal("127.0.0.1:8000-8010->80/tcp", PortBinding.Parse(web, "127.0.0.1", "8000-8010").ToString());
    }

    [Theory]
    [InlineData("nope", "80", "invalid host IP \"nope\"")]
    [InlineData("", "99999", "invalid host port \"99999\"")]
    [InlineData("", "0", "invalid host port \"0\"")]
    [InlineData("", "8010-8000", "the end is below the start")]
    [InlineData("", "80-x", "invalid host port \"80-x\"")]
    public void Bad_host_bindings_say_what_to_give(string ip, string port, string problem)
    {
        var e = Assert.Throws<BerthException>(() => PortBinding.Parse(new ContainerPort(80, PortProtocol.Tcp), ip, port));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("PortBindings of 80/tcp", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
