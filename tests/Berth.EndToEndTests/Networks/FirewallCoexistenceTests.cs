using System.Text.RegularExpressions;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Networks;

/// <summary>
/// berthd beside other users of the host's netfilter (issue 11, bug 1): iptables-nft's <c>ip nat</c> and <c>ip filter</c>
/// tables exist before berthd starts and FORWARD's policy is DROP. berthd must start, and its containers' egress, its
/// bridge's own traffic and its published ports must work, because Berth inserts narrow accept rules (comment
/// <c>berth:&lt;bridge&gt;</c>) at the top of FORWARD; the rules matter (deleted by hand, the traffic is dropped), come
/// back after the other tool reloads (<c>iptables -F</c>, <c>iptables-restore</c>), and go with the network, leaving
/// the other tool's rules as they were.
/// </summary>
public sealed partial class FirewallCoexistenceTests : DaemonTest
{
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(10);

    private static readonly string[] WebServer = ["bb:latest", "sh", "-c", "mkdir -p /www && echo hello-$(hostname) > /www/index.html && exec httpd -f -p 80 -h /www"];

    [RootFact]
    public void BerthWorksBesideIptablesWithForwardPolicyDropAndSurvivesItsReloads()
    {
        BuildLab();
        Iptables("-t", "nat", "-A", "POSTROUTING", "-s", "10.99.0.0/16", "-j", "MASQUERADE");
        Iptables("-A", "FORWARD", "-i", "lo", "-j", "ACCEPT");
        Iptables("-P", "FORWARD", "DROP");
        Directory.CreateDirectory(TestRoot);
        string saved = Path.Combine(TestRoot, "iptables.rules");
        File.WriteAllText(saved, Checked(DockerHost.Exec("iptables-save")));
        string[] foreignBefore = IptablesRules();

        // berthd starts although "ip nat" and "ip filter" (nft keywords as names) are there.
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "172.29.0.0/24", "fwnet");
        string bridge = "br-" + daemon.DockerChecked("network", "inspect", "-f", "{{.Id}}", "fwnet").Output.Trim()[..12];
        daemon.DockerChecked(["run", "-d", "--name", "srv", "--hostname", "srv", "--network", "fwnet", "--ip", "172.29.0.2", "-p", "8080:80", .. WebServer]);
        daemon.DockerChecked("run", "-d", "--name", "cli", "--network", "fwnet", "bb:latest", "sleep", "300");
        string cli = $"--net=/proc/{daemon.DockerChecked("inspect", "-f", "{{.State.Pid}}", "cli").Output.Trim()}/ns/net";

        Assert.True(Poll.Until(() => AllTrafficFlows(cli), Up), "traffic does not flow beside iptables' FORWARD policy DROP\n" + Nft() + daemon.Log);

        // iptables can still read its table with Berth's rules in it (Docker and firewalld call it all the time).
        string listed = Checked(DockerHost.Exec("iptables", "-S", "FORWARD"));
        Assert.Contains($"-A FORWARD -i {bridge} -m comment --comment \"berth:{bridge}\" -j ACCEPT", listed, StringComparison.Ordinal);

        // Positive control: with berthd stopped (nothing re-adds them), Berth's rules deleted by hand → the DROP policy
        // drops egress, the bridge's own traffic and the published port alike.
        daemon.Kill();
        DeleteBerthRules();
        Assert.False(Pings(cli), "egress still flows without Berth's accept rules: the test proves nothing");
        Assert.Null(Get(LanPeer, "10.77.0.10:8080", seconds: 2));
        Assert.False(Neighbour(cli) == "hello-srv", "the bridge's own traffic still flows without Berth's accept rules");

        // The next berthd puts them back at start.
        daemon = Restart(daemon);
        Assert.True(Poll.Until(() => AllTrafficFlows(cli), Up), "a restarted berthd does not re-add its accept rules\n" + Nft() + daemon.Log);

        // The other tool reloads: a flush of FORWARD, then a restore of its saved rules. Berth re-adds within seconds.
        Iptables("-F", "FORWARD");
        Assert.True(Poll.Until(() => BerthRules().Length > 0 && AllTrafficFlows(cli), Up), "Berth did not re-add its rules after iptables -F FORWARD\n" + Nft() + daemon.Log);
        Checked(DockerHost.Exec("sh", "-c", $"iptables-restore < '{saved}'"));
        Assert.True(Poll.Until(() => BerthRules().Length > 0 && AllTrafficFlows(cli), Up), "Berth did not re-add its rules after iptables-restore\n" + Nft() + daemon.Log);

        // The network goes: its rules go, the default bridge's stay, the other tool's rules are as they were.
        daemon.DockerChecked("rm", "-f", "srv", "cli");
        daemon.DockerChecked("network", "rm", "fwnet");
        Assert.DoesNotContain(BerthRules(), r => r.Contains(bridge, StringComparison.Ordinal));
        Assert.All(BerthRules(), r => Assert.Contains("berth:berth0", r, StringComparison.Ordinal));
        Assert.Equal(foreignBefore, IptablesRules());
        daemon.Stop();
    }

    /// <summary>Traffic is judged from the container's namespace (<c>nsenter</c>), so it can be judged while berthd is down.</summary>
    private bool AllTrafficFlows(string cli) =>
        Pings(cli) && Get(LanPeer, "10.77.0.10:8080", seconds: 2) == "hello-srv" && Neighbour(cli) == "hello-srv";

    /// <summary>Egress: the container pings the LAN peer through the docker host.</summary>
    private static bool Pings(string cli) => Cmd.Run("nsenter", cli, "busybox", "ping", "-c", "1", "-W", "1", "10.77.0.20").ExitCode == 0;

    /// <summary>The bridge's own traffic (with br_netfilter it crosses the forward hook): the container to its neighbour.</summary>
    private static string? Neighbour(string cli)
    {
        var result = Cmd.Run("nsenter", cli, "busybox", "timeout", "2", "busybox", "wget", "-qO-", "http://172.29.0.2/");
        return result.ExitCode == 0 ? result.Output.Trim() : null;
    }

    private static string? Get(LabHost from, string hostPort, int seconds = 3)
    {
        var result = from.Exec("busybox", "timeout", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "busybox", "wget", "-qO-", $"http://{hostPort}/");
        return result.ExitCode == 0 ? result.Output.Trim() : null;
    }

    private void Iptables(params string[] args) => Checked(DockerHost.Exec(["iptables", .. args]));

    /// <summary><c>iptables -S</c> of both tables without Berth's rules: what the other tool owns.</summary>
    private string[] IptablesRules() =>
    [
        .. Checked(DockerHost.Exec("iptables", "-S")).Split('\n').Concat(Checked(DockerHost.Exec("iptables", "-t", "nat", "-S")).Split('\n'))
            .Where(l => l.Length > 0 && !l.Contains("berth:", StringComparison.Ordinal)),
    ];

    private string[] BerthRules() =>
        [.. Checked(DockerHost.Exec("iptables", "-S", "FORWARD")).Split('\n').Where(l => l.Contains("berth:", StringComparison.Ordinal))];

    private void DeleteBerthRules()
    {
        foreach (Match m in BerthHandle().Matches(Nft()))
        {
            Checked(DockerHost.Exec("nft", "delete", "rule", "ip", "filter", "FORWARD", "handle", m.Groups[1].Value));
        }

        Assert.Empty(BerthRules());
    }

    private string Nft() => DockerHost.Exec("nft", "-a", "list", "chain", "ip", "filter", "FORWARD").Output;

    private static string Checked(CmdResult result)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        return result.Output;
    }

    [GeneratedRegex("comment \"berth:[^\"]+\" # handle (\\d+)")]
    private static partial Regex BerthHandle();
}
