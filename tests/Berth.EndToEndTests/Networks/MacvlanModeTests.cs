using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using static Berth.EndToEndTests.Fixtures.ContainerProbe;

namespace Berth.EndToEndTests.Networks;

/// <summary>
/// The four macvlan modes through the real docker CLI, proven by traffic between two containers on one
/// parent (the lab docker host's eth0) and to a machine on the LAN.
/// </summary>
public sealed class MacvlanModeTests : DaemonTest
{
    private const string A = "10.77.0.65";
    private const string B = "10.77.0.66";

    [RootFact]
    public void BridgePrivateVepaAndPassthruBehaveAsTheKernelSays()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // bridge: containers on the parent reach each other directly, and the LAN.
        RunPair(daemon, "bridge");
        Assert.True(Pings(daemon, "ca", B), "bridge mode: a cannot reach b");
        Assert.True(Pings(daemon, "ca", "10.77.0.20"), "bridge mode: a cannot reach the LAN");
        Remove(daemon);

        // private: not even through a switch that would send frames back.
        RunPair(daemon, "private");
        Assert.True(Pings(daemon, "ca", "10.77.0.20"), "private mode: a cannot reach the LAN");
        Assert.False(Pings(daemon, "ca", B), "private mode: a reaches b");
        Remove(daemon);

        // vepa: every frame goes out to the switch; b is reached only when the switch port hairpins.
        RunPair(daemon, "vepa");
        Assert.False(Pings(daemon, "ca", B), "vepa mode: a reaches b without a hairpinning switch");
        SetHairpin(on: true);
        Assert.True(Poll.Until(() => Pings(daemon, "ca", B), TimeSpan.FromSeconds(5)), "vepa mode: a cannot reach b through the hairpinning switch");
        SetHairpin(on: false);
        Remove(daemon);

        // passthru: one container owns the parent; a second one on the network is refused.
        daemon.DockerChecked("network", "create", "-d", "macvlan", "--subnet", "10.77.0.0/24", "--ip-range", "10.77.0.64/28", "-o", "parent=eth0", "-o", "macvlan_mode=passthru", "lan");
        daemon.DockerChecked("run", "-d", "--name", "ca", "--network", "lan", "--ip", A, "bb:latest", "sleep", "300");
        Assert.True(LanPeer.PingWithin(A, TimeSpan.FromSeconds(10)), "passthru mode: the LAN cannot reach a");
        var second = daemon.Docker("run", "-d", "--name", "cb", "--network", "lan", "--ip", B, "bb:latest", "sleep", "300");
        Assert.NotEqual(0, second.ExitCode);
        Remove(daemon);
    }

    private static void RunPair(Berthd daemon, string mode)
    {
        daemon.DockerChecked("network", "create", "-d", "macvlan", "--subnet", "10.77.0.0/24", "--ip-range", "10.77.0.64/28", "-o", "parent=eth0", "-o", "macvlan_mode=" + mode, "lan");
        daemon.DockerChecked("run", "-d", "--name", "ca", "--network", "lan", "--ip", A, "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "cb", "--network", "lan", "--ip", B, "bb:latest", "sleep", "300");
    }

    private static void Remove(Berthd daemon)
    {
        daemon.RemoveAllContainers();
        daemon.DockerChecked("network", "rm", "lan");
    }

    /// <summary>Hairpin on every port of the LAN's bridge: frames may leave by the port they came in on (a VEPA-capable switch).</summary>
    private void SetHairpin(bool on)
    {
        foreach (string line in Cmd.Check("ip", "-n", Lan.NetnsName, "-o", "link", "show", "master", LabLan.Bridge).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string port = line.Split(": ")[1].Split('@')[0];
            Cmd.Check("ip", "netns", "exec", Lan.NetnsName, "bridge", "link", "set", "dev", port, "hairpin", on ? "on" : "off");
        }
    }
}
