using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Networks;

/// <summary>
/// berthd on a host where Docker 20.10 runs (issue 11, bug 1): the real dockerd in the same lab host sets iptables'
/// FORWARD policy to DROP and adds its DOCKER-USER and DOCKER-ISOLATION chains (and br_netfilter). berthd starts
/// beside it, and its containers' egress, the traffic inside its bridge and its published ports work, and keep working
/// after Docker restarts (which re-inserts its jumps above Berth's rules); Docker's own containers keep working too,
/// and Berth's network going leaves Docker's rules as they were.
/// </summary>
public sealed class DockerCoexistenceTests : DaemonTest
{
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(15);

    private static readonly string[] WebServer = ["bb:latest", "sh", "-c", "mkdir -p /www && echo hello-$(hostname) > /www/index.html && exec httpd -f -p 80 -h /www"];

    [RootFact]
    public void BerthWorksBesideARunningDocker()
    {
        BuildLab();
        using var docker = new LabDockerd(DockerHost, Path.Combine(TestRoot, "docker"));
        docker.Start();
        string dockerRules = Checked(DockerHost.Exec("iptables", "-S"));
        Assert.Contains("-P FORWARD DROP", dockerRules, StringComparison.Ordinal);
        Assert.Contains("-N DOCKER-USER", dockerRules, StringComparison.Ordinal);

        // Docker's own container, on docker0, published on 9090.
        Directory.CreateDirectory(TestRoot);
        Checked(Cmd.Run(RepoPaths.DockerCli, "-H", "unix://" + docker.Socket, "import", BusyboxImage.BuildTar(TestRoot), "bb:latest"));
        Checked(Cmd.Run(RepoPaths.DockerCli, ["-H", "unix://" + docker.Socket, "run", "-d", "--name", "dk", "--hostname", "dk", "-p", "9090:80", .. WebServer]));

        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "172.29.0.0/24", "fwnet");
        daemon.DockerChecked(["run", "-d", "--name", "srv", "--hostname", "srv", "--network", "fwnet", "--ip", "172.29.0.2", "-p", "8080:80", .. WebServer]);
        daemon.DockerChecked("run", "-d", "--name", "cli", "--network", "fwnet", "bb:latest", "sleep", "300");
        string cli = $"--net=/proc/{daemon.DockerChecked("inspect", "-f", "{{.State.Pid}}", "cli").Output.Trim()}/ns/net";

        Assert.True(Poll.Until(() => AllTrafficFlows(cli), Up), "Berth's traffic does not flow beside Docker\n" + Iptables() + daemon.Log);
        Assert.Equal("hello-dk", Get(LanPeer, "10.77.0.10:9090"));

        // Docker restarts: it re-creates its chains and inserts its jumps at the top of FORWARD again.
        docker.Stop();
        docker.Start();
        Assert.True(Poll.Until(() => AllTrafficFlows(cli), Up), "Berth's traffic stops after Docker restarts\n" + Iptables() + daemon.Log);

        // Berth's network goes: its rules go; Docker's rules are Docker's as before.
        daemon.DockerChecked("rm", "-f", "srv", "cli");
        daemon.DockerChecked("network", "rm", "fwnet");
        daemon.Stop();
        Assert.DoesNotContain(Checked(DockerHost.Exec("iptables", "-S")).Split('\n'), r => r.Contains("berth:br-", StringComparison.Ordinal));
        Checked(Cmd.Run(RepoPaths.DockerCli, "-H", "unix://" + docker.Socket, "rm", "-f", "dk"));
    }

    private bool AllTrafficFlows(string cli) =>
        Cmd.Run("nsenter", cli, "busybox", "ping", "-c", "1", "-W", "1", "10.77.0.20").ExitCode == 0
        && Get(LanPeer, "10.77.0.10:8080", seconds: 2) == "hello-srv"
        && Cmd.Run("nsenter", cli, "busybox", "timeout", "2", "busybox", "wget", "-qO-", "http://172.29.0.2/").Output.Trim() == "hello-srv";

    private static string? Get(LabHost from, string hostPort, int seconds = 3)
    {
        var result = from.Exec("busybox", "timeout", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "busybox", "wget", "-qO-", $"http://{hostPort}/");
        return result.ExitCode == 0 ? result.Output.Trim() : null;
    }

    private string Iptables() => DockerHost.Exec("iptables", "-S").Output;

    private static string Checked(CmdResult result)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        return result.Output;
    }
}
