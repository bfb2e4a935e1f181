using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Security;

public sealed partial class ContainerEscapeTests
{
    [RootFact]
    public void AContainerCannotTouchTheHostsFirewallAndFlushingItsOwnOpensNoOtherNetwork()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.91.0.0/24", "esc-a");
        daemon.DockerChecked("network", "create", "--subnet", "10.92.0.0/24", "esc-b");
        daemon.DockerChecked("run", "-d", "--name", "target", "--network", "esc-b", "--ip", "10.92.0.50", "bb:latest", "sleep", "600");
        string hostRules = HostRuleset();

        // Without NET_ADMIN (Docker's default) nft is refused even in the container's own namespace.
        var refused = daemon.Docker(["run", "--rm", .. Tools, "--network", "esc-a", "bb:latest", "nft", "list", "ruleset"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Operation not permitted", refused.Error, StringComparison.Ordinal);

        // With NET_ADMIN it rules its own namespace only: it flushes, adds a table and sees just that one; it cannot ping
        // a container of another network before or after (isolation is the host's, in the forward path), while a
        // container of that network can (control).
        var attacker = daemon.Docker(["run", "--rm", "--cap-add", "NET_ADMIN", .. Tools, "--network", "esc-a", "bb:latest", "sh", "-c",
            "ping -c1 -W1 10.92.0.50 >/dev/null && echo reached-before; nft flush ruleset && nft add table inet mine && nft list tables; " +
            "ping -c1 -W1 10.92.0.50 >/dev/null && echo reached-after; echo end"]);
        Assert.True(attacker.Succeeded, attacker.ToString());
        Assert.Equal("table inet mine\nend\n", attacker.Output);
        Assert.Equal(0, daemon.Docker("run", "--rm", "--network", "esc-b", "bb:latest", "ping", "-c1", "-W1", "10.92.0.50").ExitCode);
        Assert.Equal(hostRules, HostRuleset());
    }

    [RootFact]
    public void ASwarmManagersEtcdOnTheLanAnswersAContainerOnlyWithTheClustersCertificates()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("swarm", "init", "--advertise-addr", LanAddress);
        try
        {
            daemon.DockerChecked("network", "create", "--subnet", "10.91.0.0/24", "esc-a");
            const string Etcdctl = "ETCDCTL_API=3 etcdctl --dial-timeout 3s --command-timeout 5s";
            const string Certificates = "--cacert /certs/ca.crt --cert /certs/node.crt --key /certs/node.key";

            // Its ports are open to a container (wget connects, and gets no HTTP answer); without a certificate of the
            // cluster's CA neither the client port (TLS, not even checking the server's), nor plain HTTP, nor the peer
            // port gives it a key. Control: the same etcdctl in a container given the node's certificate reads keys.
            var probe = daemon.Docker(["run", "--rm", .. Tools, "-v", Path.Combine(daemon.Root, "swarm") + ":/certs:ro", "--network", "esc-a", "bb:latest", "sh", "-c",
                $"timeout 5 wget -q -O /dev/null http://{LanAddress}:2379/version; timeout 5 wget -q -O /dev/null http://{LanAddress}:2380/version; " +
                $"for url in https://{LanAddress}:2379 http://{LanAddress}:2379 https://{LanAddress}:2380; do " +
                $"{Etcdctl} --endpoints $url --insecure-skip-tls-verify get '' --prefix --keys-only >/dev/null 2>&1 && echo \"keys from $url\" || echo \"refused by $url\"; done; " +
                $"{Etcdctl} --endpoints https://{LanAddress}:2379 {Certificates} get '' --prefix --keys-only | grep -q . && echo keys-with-the-certificate"]);
            Assert.True(probe.Succeeded, probe.ToString());
            Assert.Equal($"refused by https://{LanAddress}:2379\nrefused by http://{LanAddress}:2379\nrefused by https://{LanAddress}:2380\nkeys-with-the-certificate\n",
                probe.Output);
            Assert.Equal(2, probe.Error.Split("wget: error getting response").Length - 1);
        }
        finally
        {
            daemon.DockerChecked("swarm", "leave", "--force");
        }
    }

    /// <summary>Every table of the docker host, without counters (they move with traffic).</summary>
    private string HostRuleset() => DockerHost.Exec("nft", "-s", "list", "ruleset").Output;
}
