using System.Net;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Security;

/// <summary>
/// The Docker API on TCP, as dockerd serves it: <c>--tlsverify</c> lets in only clients whose certificate the given CA
/// signed (the docker CLI on the LAN peer, over the lab's LAN); plain TCP is refused unless asked for with <c>--tls=false</c>,
/// and then warned about in dockerd's words.
/// </summary>
public sealed class ApiTlsTests : DaemonTest
{
    private const string Address = "10.77.0.10";

    [RootFact]
    public void TlsVerifyServesOnlyClientsWithACertificateFromItsCa()
    {
        BuildLab();
        using var trusted = new TestCertificates(Path.Combine(TestRoot, "pki"), "trusted");
        using var stranger = new TestCertificates(Path.Combine(TestRoot, "pki"), "stranger");
        var (serverCert, serverKey) = trusted.Server("server", IPAddress.Parse(Address));
        var (clientCert, clientKey) = trusted.Client("client");
        var (strangerCert, strangerKey) = stranger.Client("stranger-client");
        var daemon = StartDaemon("-H", $"tcp://{Address}:2376", "--tlsverify", "--tlscacert", trusted.CaPath, "--tlscert", serverCert, "--tlskey", serverKey);
        daemon.DockerChecked("network", "create", "over-tls");

        // The docker CLI on another machine of the LAN, with a certificate of the CA: the daemon's answers.
        var remote = LanPeer.Exec(RepoPaths.DockerCli, "--tlsverify", "--tlscacert", trusted.CaPath, "--tlscert", clientCert, "--tlskey", clientKey,
            "-H", $"tcp://{Address}:2376", "network", "ls", "--format", "{{.Name}}");
        Assert.True(remote.Succeeded, remote.ToString());
        Assert.Contains("over-tls", remote.Output, StringComparison.Ordinal);

        // No certificate, one of another CA, or plain HTTP: nothing is answered.
        var anonymous = LanPeer.Exec(RepoPaths.DockerCli, "--tls", "--tlscacert", trusted.CaPath, "-H", $"tcp://{Address}:2376", "network", "ls");
        Assert.False(anonymous.Succeeded, anonymous.ToString());
        var foreign = LanPeer.Exec(RepoPaths.DockerCli, "--tlsverify", "--tlscacert", trusted.CaPath, "--tlscert", strangerCert, "--tlskey", strangerKey,
            "-H", $"tcp://{Address}:2376", "network", "ls");
        Assert.False(foreign.Succeeded, foreign.ToString());
        var plain = LanPeer.Exec("curl", "-s", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", $"http://{Address}:2376/_ping");
        Assert.NotEqual("200", plain.Output.Trim());
        Assert.DoesNotContain("Binding to IP address without --tlsverify", daemon.Log, StringComparison.Ordinal);
    }

    [RootFact]
    public void PlainTcpIsRefusedUnlessAskedForAndThenWarnedAbout()
    {
        BuildLab();
        var refused = Cmd.Run("timeout", "30", "nsenter", $"--net={DockerHost.NetnsPath}", RepoPaths.Berthd, "-H", "unix://" + Path.Combine(TestRoot, "refused.sock"),
            "-H", $"tcp://{Address}:2375", "--root", Path.Combine(TestRoot, "refused-root"), "--exec-root", Path.Combine(TestRoot, "refused-exec"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"--host tcp://{Address}:2375: listening on TCP without TLS gives root on this machine to everyone who can reach it", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--tls=false", refused.Error, StringComparison.Ordinal);

        var daemon = StartDaemon("-H", $"tcp://{Address}:2375", "--tls=false");
        var ping = LanPeer.Exec("curl", "-s", "-m", "5", $"http://{Address}:2375/_ping");
        Assert.Equal("OK", ping.Output);
        Assert.Contains($"tcp://{Address}:2375: Binding to IP address without --tlsverify is insecure", daemon.Log, StringComparison.Ordinal);
    }
}
