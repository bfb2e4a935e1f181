using System.Net;
using System.Net.Sockets;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;

namespace Berth.EndToEndTests.Doctor;

/// <summary>
/// <c>berth doctor</c>'s published-port checks in the lab: a port that answers, one whose container listens on
/// nothing, a UDP port, and one another program took while berthd was down (named by pid and command).
/// </summary>
public sealed class DoctorPortsTests : DaemonTest
{
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(10);

    private static readonly string[] WebServer = ["bb:latest", "sh", "-c", "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 80 -h /www"];

    [RootFact]
    public void PortsThatAnswerThatAreRefusedAndThatAnotherProgramHoldsAreReported()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked(["run", "-d", "--name", "web", "-p", "8080:80", .. WebServer]);
        daemon.DockerChecked("run", "-d", "--name", "mute", "-p", "8081:80", "-p", "5353:53/udp", "bb:latest", "sleep", "300");

        Assert.True(Poll.Until(() => DoctorReport.Run(daemon, "--container", "web").Line("ports published", "web").Contains("|ok|", StringComparison.Ordinal), Up),
            DoctorReport.Run(daemon, "--container", "web") + "\n" + daemon.Log);
        var web = DoctorReport.Run(daemon, "--container", "web");
        Assert.Equal(0, web.ExitCode);
        Assert.Equal(["ports published|web|ok|0.0.0.0:8080->80/tcp: answers on 127.0.0.1:8080|"], web.Lines.Where(l => l.StartsWith("ports", StringComparison.Ordinal)));

        var mute = DoctorReport.Run(daemon, "--container", "mute");
        Assert.Equal(1, mute.ExitCode);
        string address = daemon.DockerChecked("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "mute").Output.Trim();
        Assert.Equal(
            [
                $"ports published|mute|problem|0.0.0.0:8081->80/tcp: 127.0.0.1:8081 is refused by mute ({address}:80): nothing in the container listens on 80/tcp|berth exec mute netstat -tln",
                "ports published|mute|ok|0.0.0.0:5353->53/udp: not probed (UDP has no handshake to answer)|",
            ],
            mute.Lines.Where(l => l.StartsWith("ports", StringComparison.Ordinal)));

        // berthd is down; a program takes 8080 on the docker host; berthd comes back and cannot hold it again.
        daemon.Kill();
        using var host = NetworkNamespace.OpenPath(DockerHost.NetnsPath);
        using var squatter = host.Run(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Any, 8080));
            socket.Listen();
            return socket;
        });
        daemon = Restart(daemon);
        var held = DoctorReport.Run(daemon, "--container", "web");
        Assert.Equal(1, held.ExitCode);
        string comm = File.ReadAllText($"/proc/{Environment.ProcessId}/comm").Trim();
        Assert.Equal(
            $"ports published|web|problem|0.0.0.0:8080->80/tcp: {comm} (pid {Environment.ProcessId}) also listens on 0.0.0.0:8080; connections to the port go to web, never to it|kill {Environment.ProcessId} && berth restart web",
            held.Line("ports published", "web"));

        // The program goes (the fix's first half), the container is restarted (its second): the port is berthd's again.
        squatter.Close();
        Assert.True(daemon.BerthCli("restart", "-t", "1", "web").Succeeded); // httpd as pid 1 ignores SIGTERM: do not wait 10 s
        Assert.True(Poll.Until(() => DoctorReport.Run(daemon, "--container", "web").Line("ports published", "web").Contains("|ok|", StringComparison.Ordinal), Up),
            DoctorReport.Run(daemon, "--container", "web") + "\n" + daemon.Log);
    }
}
