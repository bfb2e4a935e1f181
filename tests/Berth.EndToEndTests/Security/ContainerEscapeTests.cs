using System.Net;
using System.Globalization;
using System.Text.RegularExpressions;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Security;

/// <summary>
/// What a container must not reach unless it is given it, tried from inside as an attacker would: berthd's socket and
/// process, the host's loopback services (even a privileged container routing 127.0.0.1 to its gateway, the attack
/// route_localnet opens), the firewall of the host and of other networks (with NET_ADMIN, flushing its own), and a
/// swarm manager's etcd (open on the LAN, answering only clients with a certificate of the cluster's CA). Each refusal
/// is shown beside a control that proves the path itself works.
/// </summary>
public sealed partial class ContainerEscapeTests : DaemonTest
{
    private const string LanAddress = "10.77.0.10";
    private const int LoopbackPort = 9999;
    private const int EveryAddressPort = 9998;

    /// <summary>The host's nft and etcdctl and the libraries they need, read-only: an attacker's tools (the image is busybox).</summary>
    private static readonly string[] Tools =
        ["-v", "/usr/sbin/nft:/usr/sbin/nft:ro", "-v", "/usr/bin/etcdctl:/usr/bin/etcdctl:ro", "-v", "/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:ro", "-v", "/lib64:/lib64:ro"];

    [RootFact]
    public void BerthdsSocketAndProcessAreOutOfReachUnlessTheSocketIsMountedIn()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string[] cli = ["-v", RepoPaths.DockerCli + ":/usr/bin/docker:ro"];

        // Not given: no berthd among its processes, no socket at berthd's path, so the docker CLI inside has nothing to talk to.
        var blind = daemon.Docker(["run", "--rm", .. cli, "bb:latest", "sh", "-c",
            $"pidof berthd conmon runc || echo no-host-process; ls {daemon.Socket} 2>/dev/null || echo no-socket; docker -H {daemon.Host} version -f '{{{{.Server.Os}}}}' 2>&1 || echo refused"]);
        Assert.True(blind.Succeeded, blind.ToString());
        Assert.Contains("no-host-process\nno-socket\n", blind.Output, StringComparison.Ordinal);
        Assert.Contains("Cannot connect to the Docker daemon", blind.Output, StringComparison.Ordinal);
        Assert.EndsWith("refused\n", blind.Output, StringComparison.Ordinal);

        // Given (-v SOCKET:/var/run/docker.sock, as users do for CI runners): the CLI inside drives berthd.
        var given = daemon.DockerChecked(["run", "--rm", .. cli, "-v", daemon.Socket + ":/var/run/docker.sock", "bb:latest", "docker", "network", "ls", "--format", "{{.Name}}"]);
        Assert.Contains("bridge", given.Output, StringComparison.Ordinal);
    }

    [RootFact]
    public void TheHostsLoopbackServicesAreOutOfReachEvenOfAPrivilegedContainerRoutingLoopbackToItsGateway()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.91.0.0/24", "esc-a");
        using var loopbackOnly = new TcpAnswer(DockerHost.NetnsPath, new IPEndPoint(IPAddress.Loopback, LoopbackPort), "loopback-only");
        using var everyAddress = new TcpAnswer(DockerHost.NetnsPath, new IPEndPoint(IPAddress.Any, EveryAddressPort), "every-address");
        const string Gateway = "10.91.0.1";

        // Control: a host service on every address answers a container through its gateway (as with Docker); the
        // loopback one does not.
        var plain = daemon.DockerChecked("run", "--rm", "--network", "esc-a", "bb:latest", "sh", "-c",
            $"timeout 5 nc {Gateway} {EveryAddressPort} </dev/null; timeout 5 nc {Gateway} {LoopbackPort} </dev/null; echo end");
        Assert.Equal("every-address\nend\n", plain.Output);

        // The attack: the container drops its own loopback, routes 127.0.0.1 to its gateway and turns route_localnet on,
        // so its packets to 127.0.0.1 leave through eth0; the host accepts such packets on a bridge with route_localnet
        // on (Berth turns it on for ports published on 127.0.0.1). Berth's guard chain drops them and counts them.
        long before = GuardDrops();
        var attack = daemon.Docker("run", "--rm", "--privileged", "--network", "esc-a", "bb:latest", "sh", "-c",
            "ip addr flush dev lo && ip route add 127.0.0.1/32 via " + Gateway + " dev eth0 && echo 1 > /proc/sys/net/ipv4/conf/eth0/route_localnet " +
            $"&& echo 1 > /proc/sys/net/ipv4/conf/all/route_localnet && echo routed; timeout 5 nc 127.0.0.1 {LoopbackPort} </dev/null; echo end");
        Assert.True(attack.Succeeded, attack.ToString());
        Assert.Equal("routed\nend\n", attack.Output);
        Assert.True(GuardDrops() > before, "the attack's packets never reached the host's guard: the test did not try what it says");
    }

    /// <summary>Packets Berth's guard chain (no way from a network to the host's loopback) has dropped.</summary>
    private long GuardDrops()
    {
        string chain = DockerHost.Exec("nft", "list", "chain", "inet", "berth", "guard").Output;
        return Regex.Matches(chain, @"counter packets (\d+)").Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }
}
