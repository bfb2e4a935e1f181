using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Doctor;

/// <summary>
/// <c>berth doctor</c>'s host firewall and route checks in the lab, beside iptables with FORWARD policy DROP: Berth's
/// accept rules seen in place, a network's rules removed by hand, Berth's tables deleted and changed (fixed by the
/// restart doctor prints), and a host route over a network's subnet.
/// </summary>
public sealed class DoctorHostFirewallTests : DaemonTest
{
    [RootFact]
    public void TablesRulesForeignChainsAndRoutesAreReportedAndARestartFixesTheFirewall()
    {
        BuildLab();
        Assert.Equal(0, DockerHost.Exec("iptables", "-P", "FORWARD", "DROP").ExitCode);
        var daemon = StartDaemon();
        daemon.DockerChecked("network", "create", "--subnet", "10.91.0.0/24", "frontnet");
        string bridge = "br-" + daemon.DockerChecked("network", "inspect", "-f", "{{.Id}}", "frontnet").Output.Trim()[..12];

        var healthy = DoctorReport.Run(daemon);
        Assert.DoesNotContain(healthy.Lines, l => l.StartsWith("host", StringComparison.Ordinal) && l.Contains("|problem|", StringComparison.Ordinal));
        Assert.Equal("host forward chains|ip filter FORWARD|ok|Berth's accept rules are in place in ip filter FORWARD (policy drop)|", healthy.Line("host forward chains", "ip filter FORWARD"));
        Assert.Equal("host firewall tables|host|ok|Berth's tables inet berth and bridge berth are in place, as berthd makes them|", healthy.Line("host firewall tables", "host"));
        Assert.Equal("host firewall rules|bridge, frontnet|ok|every rule of these networks is in Berth's tables|", healthy.Line("host firewall rules", "bridge, frontnet"));
        Assert.Equal("host br_netfilter|host|ok|net.bridge.bridge-nf-call-iptables = 1: traffic between containers of one bridge also passes other tools' forward chains; Berth's accept rules let it through ip filter FORWARD|",
            healthy.Line("host br_netfilter", "host"));
        Assert.Equal("host routes|frontnet|ok|no host route to another interface overlaps 10.91.0.0/24|", healthy.Line("host routes", "frontnet"));

        // A route to the LAN covers the network's subnet.
        HostIp("route", "add", "10.91.0.0/16", "via", "10.77.0.20");
        var routed = DoctorReport.Run(daemon, "--network", "frontnet");
        Assert.Equal(1, routed.ExitCode);
        Assert.Equal(
            "host routes|frontnet|problem|subnet 10.91.0.0/24 overlaps the host's route 10.91.0.0/16 via 10.77.0.20 dev eth0: whatever lies behind that route in 10.91.0.0/24 is out of reach of the host and frontnet's containers"
            + "|berth network rm frontnet && berth network create -d bridge --subnet 172.16.0.0/24 frontnet",
            routed.Line("host routes", "frontnet"));
        HostIp("route", "del", "10.91.0.0/16");

        // Someone deletes the network's elements from Berth's tables.
        Assert.Equal(0, DockerHost.Exec("nft", "delete", "element", "inet", "berth", "bridges", $"{{ \"{bridge}\" }}").ExitCode);
        Assert.Equal(
            $"host firewall rules|frontnet|problem|frontnet's rules (bridge {bridge}) are missing from Berth's tables: its masquerade, isolation and published ports do not work|./run.sh stop && ./run.sh start",
            DoctorReport.Run(daemon, "--network", "frontnet").Line("host firewall rules", "frontnet"));

        // Someone deletes one of Berth's tables and adds a rule to the other.
        Assert.Equal(0, DockerHost.Exec("nft", "delete", "table", "bridge", "berth").ExitCode);
        Assert.Equal(0, DockerHost.Exec("nft", "add", "rule", "inet", "berth", "forward", "counter").ExitCode);
        var broken = DoctorReport.Run(daemon);
        Assert.Equal(1, broken.ExitCode);
        Assert.Equal("host firewall tables|bridge berth|problem|Berth's table bridge berth is missing: bridge networks lose masquerade, isolation and their published ports|./run.sh stop && ./run.sh start",
            broken.Line("host firewall tables", "bridge berth"));
        Assert.Equal("host firewall tables|inet berth|problem|Berth's table inet berth was changed by someone else: its sets, chains or rules are not those berthd makes|./run.sh stop && ./run.sh start",
            broken.Line("host firewall tables", "inet berth"));

        // The fix: berthd restarted re-creates both tables and the network's rules.
        daemon.Stop();
        daemon = Restart(daemon);
        var fixedAgain = DoctorReport.Run(daemon);
        Assert.DoesNotContain(fixedAgain.Lines, l => l.StartsWith("host", StringComparison.Ordinal) && l.Contains("|problem|", StringComparison.Ordinal));
        Assert.Contains("host firewall tables|host|ok|", fixedAgain.Line("host firewall tables", "host"), StringComparison.Ordinal);
        Assert.Contains("host firewall rules|bridge, frontnet|ok|", fixedAgain.Line("host firewall rules", "bridge, frontnet"), StringComparison.Ordinal);
        daemon.Stop();
    }
}
