using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Doctor;

/// <summary>
/// <c>berth doctor</c>'s macvlan checks in the lab: a network on the LAN's eth0 without a host shim (the host really
/// cannot reach its container; the fix doctor prints is run and works), containers' addresses a DHCP server on the
/// host has leased, a parent that goes down and one that goes away.
/// </summary>
public sealed class DoctorMacvlanTests : DaemonTest
{
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(10);

    [RootFact]
    public void HostAccessLeasesAndParentsAreReportedWithFixesThatWork()
    {
        Directory.CreateDirectory(TestRoot);
        string leases = Path.Combine(TestRoot, "dnsmasq.leases");
        File.WriteAllText(leases, "1767225600 aa:bb:cc:00:00:01 10.77.0.57 laptop *\n1767225600 aa:bb:cc:00:00:02 10.77.0.62 phone *\n");
        var daemon = StartDaemon("--dhcp-lease-file", leases);
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "-d", "macvlan", "--subnet", "10.77.0.0/24", "--gateway", "10.77.0.1", "--ip-range", "10.77.0.48/28", "-o", "parent=eth0", "plain");

        var empty = DoctorReport.Run(daemon, "--network", "plain");
        Assert.Equal("macvlan parent|plain|ok|parent eth0 is up (macvlan mode bridge)|", empty.Line("macvlan parent", "plain"));
        Assert.StartsWith("macvlan host access|plain|ok|no containers yet; without a host shim", empty.Line("macvlan host access", "plain"), StringComparison.Ordinal);

        // A container: the host really cannot reach it, and doctor says so with the commands that give the host a shim.
        daemon.DockerChecked("run", "-d", "--name", "printer", "--network", "plain", "--ip", "10.77.0.50", "bb:latest", "sleep", "300");
        Assert.False(DockerHost.Ping("10.77.0.50"), "the docker host reached its macvlan container without a shim: the test proves nothing");
        var cut = DoctorReport.Run(daemon, "--network", "plain");
        Assert.Equal(1, cut.ExitCode);
        Assert.Equal(
            "macvlan host access|plain|problem|the host cannot reach plain's containers: 10.77.0.50 (printer) does not answer from the host (the kernel passes no frames between eth0 and its macvlans; give the host a shim)"
            + "|berth network rm plain && berth network create -d macvlan --subnet 10.77.0.0/24 --gateway 10.77.0.1 --ip-range 10.77.0.48/28 -o parent=eth0 --host-address 10.77.0.254 plain",
            cut.Line("macvlan host access", "plain"));
        Assert.Equal("macvlan dhcp|plain|ok|no container address is leased, or inside the leased range, by this host's DHCP server (2 leases read)|", cut.Line("macvlan dhcp", "plain"));

        // The fix, run as printed: the host reaches the container through its shim, and doctor says so.
        string fix = cut.Fix("macvlan host access", "plain");
        daemon.DockerChecked("rm", "-f", "printer");
        foreach (string command in fix.Split(" && "))
        {
            var ran = daemon.BerthCli(command.Split(' ')[1..]);
            Assert.True(ran.Succeeded, command + "\n" + ran + "\n" + daemon.Log);
        }

        daemon.DockerChecked("run", "-d", "--name", "printer", "--network", "plain", "--ip", "10.77.0.50", "bb:latest", "sleep", "300");
        Assert.True(DockerHost.PingWithin("10.77.0.50", Up), "the fix did not give the host a way to its container\n" + daemon.Log);
        string shim = "bsh-" + daemon.DockerChecked("network", "inspect", "-f", "{{.Id}}", "plain").Output.Trim()[..8];
        Assert.Equal($"macvlan host access|plain|ok|the host reaches plain through {shim} (10.77.0.254)|", DoctorReport.Run(daemon, "--network", "plain").Line("macvlan host access", "plain"));

        // Containers on addresses the DHCP server has leased to others, or hands out.
        daemon.DockerChecked("run", "-d", "--name", "thief", "--network", "plain", "--ip", "10.77.0.57", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "middle", "--network", "plain", "--ip", "10.77.0.60", "bb:latest", "sleep", "300");
        var leased = DoctorReport.Run(daemon, "--network", "plain");
        Assert.Equal(
            "macvlan dhcp|thief|warning|10.77.0.57 of thief on plain is leased by this host's DHCP server to aa:bb:cc:00:00:01 (laptop): two machines answer for it"
            + "|re-create plain with an --ip-range outside the DHCP pool, or exclude 10.77.0.57 from the DHCP pool",
            leased.Line("macvlan dhcp", "thief"));
        Assert.StartsWith("macvlan dhcp|middle|warning|10.77.0.60 of middle on plain lies inside the DHCP server's leased range 10.77.0.57-10.77.0.62", leased.Line("macvlan dhcp", "middle"), StringComparison.Ordinal);
        Assert.DoesNotContain(leased.Lines, l => l.StartsWith("macvlan dhcp|printer|", StringComparison.Ordinal));

        // A parent the user owns goes away: doctor names the links there are and re-creates the network on one.
        HostIp("link", "add", "lan2", "type", "veth", "peer", "name", "lan2p");
        HostIp("link", "set", "lan2", "up");
        daemon.DockerChecked("network", "create", "-d", "macvlan", "--subnet", "10.78.0.0/24", "-o", "parent=lan2", "second");
        HostIp("link", "del", "lan2");
        var gone = DoctorReport.Run(daemon, "--network", "second");
        Assert.Matches(@"^macvlan parent\|second\|problem\|parent lan2 does not exist \(links here: [^|]*eth0[^|]*\)\|berth network rm second && berth network create -d macvlan --subnet 10\.78\.0\.0/24 --gateway 10\.78\.0\.1 -o parent=eth0 second$",
            gone.Line("macvlan parent", "second"));

        // The LAN's parent goes down: a problem with the command that brings it up.
        HostIp("link", "set", "eth0", "down");
        Assert.Equal("macvlan parent|plain|problem|parent eth0 is down: plain's containers are cut off the LAN|ip link set eth0 up", DoctorReport.Run(daemon, "--network", "plain").Line("macvlan parent", "plain"));
        HostIp("link", "set", "eth0", "up");
        Assert.True(Poll.Until(() => DoctorReport.Run(daemon, "--network", "plain").Line("macvlan parent", "plain").Contains("|ok|", StringComparison.Ordinal), Up));
    }
}
