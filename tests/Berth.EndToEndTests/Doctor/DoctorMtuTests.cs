using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Doctor;

/// <summary>
/// <c>berth doctor</c>'s MTU checks on one host: a bridge larger than the host's way out, and a container whose
/// interface no longer has its network's MTU — found by arithmetic and shown by a DF ping of the network's full size
/// from inside a container; the fix it names makes the ping pass again.
/// </summary>
public sealed class DoctorMtuTests : DaemonTest
{
    [RootFact]
    public void MtuFaultsAreFoundByProbesAndTheirFixesWork()
    {
        var daemon = StartDaemon("--dns", "127.0.0.1");
        using var upstream = new TestDnsUpstream(DockerHost);
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.93.0.0/24", "appnet");
        daemon.DockerChecked("network", "create", "--subnet", "10.94.0.0/24", "-o", "com.docker.network.driver.mtu=9000", "jumbo");
        daemon.DockerChecked("run", "-d", "--name", "db", "--network", "appnet", "--ip", "10.93.0.10", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "web", "--network", "appnet", "--ip", "10.93.0.11", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "big", "--network", "jumbo", "bb:latest", "sleep", "300");

        var healthy = DoctorFindings.Parse(daemon.BerthCli("doctor", "--format", "json"));
        Assert.Equal(("ok", "2 container interfaces at the network's MTU 1500"), (healthy.Single("mtu container interface", "appnet").Status, healthy.Single("mtu container interface", "appnet").Found));
        Assert.Equal(("ok", "1500-byte pings with DF from db reached web"), (healthy.Single("mtu probe", "appnet").Status, healthy.Single("mtu probe", "appnet").Found));
        // Alone on its bridge, big probes the host's end of it at 9000 bytes.
        Assert.Matches(@"^9000-byte pings with DF from big reached the gateway 10\.94\.0\.1 \(br-[0-9a-f]{12}\)$", healthy.Single("mtu probe", "jumbo").Found);
        var uplink = healthy.Single(f => f.Check == "mtu bridge uplink" && f.Subject == "jumbo");
        Assert.Equal("warning", uplink.Status);
        Assert.Matches(@"^br-[0-9a-f]{12} MTU 9000 > eth0's 1500 \(the host's way out\)", uplink.Found);
        // Shown by a probe: the host refuses big's full-size DF ping towards the LAN's gateway, naming eth0's MTU.
        Assert.EndsWith("; a 9000-byte ping with DF from big towards 10.77.0.1: fragmentation needed on the way (next-hop MTU 1500)", uplink.Found, StringComparison.Ordinal);
        Assert.StartsWith("berth network rm jumbo && berth network create -d bridge --subnet 10.94.0.0/24 --gateway 10.94.0.1 -o com.docker.network.driver.mtu=1500 jumbo", uplink.Fix, StringComparison.Ordinal);
        Assert.Equal("ok", healthy.Single("mtu bridge uplink", "appnet").Status);

        // Someone shrinks web's interface: a full-size ping from db to web is lost, a small one passes.
        string webPid = daemon.DockerChecked("inspect", "-f", "{{.State.Pid}}", "web").Output.Trim();
        Cmd.Check("nsenter", "--net=/proc/" + webPid + "/ns/net", "ip", "link", "set", "eth0", "mtu", "1400");
        var broken = daemon.BerthCli("doctor", "--network", "appnet");
        Assert.Equal(1, broken.ExitCode);
        Assert.Matches(@"mtu container interface\s+web\s+problem\s+eth0 on appnet has MTU 1400, the network 1500: packets between 1401 and 1500 bytes to or from it are lost\s+berth network disconnect appnet web && berth network connect appnet web", broken.Output);
        Assert.Matches(@"mtu probe\s+appnet\s+problem\s+a 1500-byte ping with DF from db to web \(10\.93\.0\.11\): no answer; 64-byte pings pass", broken.Output);
        Assert.DoesNotContain("jumbo", broken.Output, StringComparison.Ordinal);

        // From web's side the same fault is its own interface: the packet is never sent.
        var fromWeb = DoctorFindings.Parse(daemon.BerthCli("doctor", "--container", "web", "--format", "json"));
        Assert.Contains("too big for the sending interface's MTU (not sent)", fromWeb.Single("mtu probe", "appnet").Found, StringComparison.Ordinal);

        // The fix doctor names: web's interface is made again with the network's MTU, and the full-size ping passes.
        foreach (string step in new[] { "network disconnect appnet web", "network connect appnet web" })
        {
            var ran = daemon.BerthCli(step.Split(' '));
            Assert.True(ran.Succeeded, step + ": " + ran);
        }

        var fixedAgain = DoctorFindings.Parse(daemon.BerthCli("doctor", "--network", "appnet", "--format", "json"));
        Assert.Equal("ok", fixedAgain.Single("mtu container interface", "appnet").Status);
        Assert.Equal("ok", fixedAgain.Single("mtu probe", "appnet").Status);
    }
}
