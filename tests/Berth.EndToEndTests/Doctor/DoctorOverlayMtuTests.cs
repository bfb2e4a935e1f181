using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Doctor;

/// <summary>
/// The guide's "overlay slow from MTU fragmentation", live on two nodes: node 2's underlay carries less than node 1's,
/// so full-size packets of node 1's containers are lost between the nodes while small ones pass (pings work, large
/// transfers stall). Doctor on node 1 finds it with a DF ping of the overlay's full size from inside a container,
/// measures what the underlay carries, and names the MTU to re-create the overlay with; that fix makes the ping pass.
/// </summary>
public sealed class DoctorOverlayMtuTests : ClusterTest
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [RootFact]
    public void AnUnderlayMtuMismatchBetweenNodesIsMeasuredAndTheNamedMtuFixesIt()
    {
        StartWorkerSwarm(2);
        // Node 2's link to the underlay carries 1400 bytes; node 1's 1500.
        NodeHost(2).Ip("link", "set", "eth0", "mtu", "1400");
        Node(1).DockerChecked("network", "create", "-d", "overlay", "--attachable", "--subnet", "10.95.0.0/24", "ovl");
        Node(1).DockerChecked("run", "-d", "--name", "alpha", "--network", "ovl", "--ip", "10.95.0.10", "bb:latest", "sleep", "300");
        Node(2).DockerChecked("run", "-d", "--name", "bravo", "--network", "ovl", "--ip", "10.95.0.20", "bb:latest", "sleep", "300");
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(1), "alpha", "10.95.0.20"), Within), "alpha cannot reach bravo at all\n" + Node(1).Log);

        var broken = Node(1).BerthCli("doctor", "--network", "ovl");
        Assert.Equal(1, broken.ExitCode);
        Has(broken.Output, @"mtu overlay underlay\s+ovl\s+ok\s+MTU 1450 \+ 50 bytes of tunnel fit the underlay's 1500");
        Has(broken.Output, @"mtu probe\s+ovl\s+problem\s+a 1450-byte ping with DF from alpha to bravo on node 10\.88\.0\.12 \(10\.95\.0\.20\): no answer; 64-byte pings pass, so the path between them carries less than the network's MTU 1450; the underlay to 10\.88\.0\.12 carries 1400 bytes");
        Assert.Contains("berth network rm ovl && berth network create -d overlay --attachable --subnet 10.95.0.0/24 --gateway 10.95.0.1 -o com.docker.network.driver.mtu=1350 ovl", broken.Output, StringComparison.Ordinal);

        // The fix: the overlay made again with the MTU doctor named; full-size pings now pass both ways.
        Node(1).DockerChecked("rm", "-f", "alpha");
        Node(2).DockerChecked("rm", "-f", "bravo");
        Node(1).DockerChecked("network", "rm", "ovl");
        Assert.True(Poll.Until(() => !Node(2).DockerChecked("network", "ls", "--format", "{{.Name}}").Output.Contains("ovl", StringComparison.Ordinal), Within), "ovl is still on node 2");
        Node(1).DockerChecked("network", "create", "-d", "overlay", "--attachable", "--subnet", "10.95.0.0/24", "-o", "com.docker.network.driver.mtu=1350", "ovl");
        Node(1).DockerChecked("run", "-d", "--name", "alpha", "--network", "ovl", "--ip", "10.95.0.10", "bb:latest", "sleep", "300");
        Node(2).DockerChecked("run", "-d", "--name", "bravo", "--network", "ovl", "--ip", "10.95.0.20", "bb:latest", "sleep", "300");
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(1), "alpha", "10.95.0.20"), Within), "alpha cannot reach bravo after the fix");
        var healthy = DoctorFindings.Parse(Node(1).BerthCli("doctor", "--network", "ovl", "--format", "json"));
        var probe = healthy.Single(f => f.Check == "mtu probe");
        Assert.True(probe.Status == "ok", probe.ToString());
        Assert.Matches(@"^1350-byte pings with DF from alpha reached bravo on node 10\.88\.0\.12$", probe.Found);
        // And the other way, from node 2's doctor: bravo's full-size DF pings reach alpha.
        var back = DoctorFindings.Parse(Node(2).BerthCli("doctor", "--network", "ovl", "--format", "json")).Single(f => f.Check == "mtu probe");
        Assert.True(back.Status == "ok", back.ToString());
        Assert.Matches(@"^1350-byte pings with DF from bravo reached alpha on node 10\.88\.0\.11$", back.Found);
    }

    private static void Has(string output, string pattern) =>
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(output, pattern), $"/{pattern}/ not in:\n{output}");
}
