using Berth.Core.Errors;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

/// <summary>EXPOSE's words as Docker 20.10 read them (go-connections nat.ParsePortSpec; answers taken from dockerd 20.10.24).</summary>
public sealed class ExposeSpecTests
{
    [Theory]
    [InlineData("80", new[] { "80/tcp" })]
    [InlineData("53/udp", new[] { "53/udp" })]
    [InlineData("80/TCP", new[] { "80/tcp" })]
    [InlineData("80/", new[] { "80/tcp" })]
    [InlineData("8000-8002/tcp", new[] { "8000/tcp", "8001/tcp", "8002/tcp" })]
    [InlineData("1-2/sctp", new[] { "1/sctp", "2/sctp" })]
    [InlineData("0", new[] { "0/tcp" })]
    [InlineData("80:80", new[] { "80/tcp" })]
    [InlineData("1.2.3.4:8080:80", new[] { "80/tcp" })]
    [InlineData("[::1]:8080:80/udp", new[] { "80/udp" })]
    public void PortsAreExpandedAsDockerExposesThem(string spec, string[] ports) =>
        Assert.Equal(ports, ExposeSpec.Parse(spec));

    [Theory]
    [InlineData("abc", "Invalid containerPort: abc")]
    [InlineData("70000", "Invalid containerPort: 70000")]
    [InlineData("9-3", "Invalid containerPort: 9-3")]
    [InlineData("80/foo", "Invalid proto: foo")]
    [InlineData("x:80", "Invalid hostPort: x")]
    [InlineData("1-3:80-81", "Invalid ranges specified for container and host Ports: 80-81 and 1-3")]
    [InlineData("nohost:1:80", "Invalid ip address: nohost")]
    public void BadWordsAreDockersErrors(string spec, string message)
    {
        var error = Assert.Throws<BerthException>(() => ExposeSpec.Parse(spec));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(message, error.Message);
    }
}
