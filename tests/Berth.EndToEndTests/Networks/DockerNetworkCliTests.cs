using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Networks;

/// <summary>The real docker CLI against berthd, and the kernel objects really there (and gone).</summary>
public sealed class DockerNetworkCliTests : DaemonTest
{
    [RootFact]
    public void PredefinedNetworksExistAndCannotBeRemoved()
    {
        using var daemon = StartDaemon();
        string ls = daemon.DockerChecked("network", "ls").Output;
        Assert.Matches(@"NETWORK ID\s+NAME\s+DRIVER\s+SCOPE", ls);
        Assert.Matches(@"[0-9a-f]{12}\s+bridge\s+bridge\s+local", ls);
        Assert.Matches(@"[0-9a-f]{12}\s+host\s+host\s+local", ls);
        Assert.Matches(@"[0-9a-f]{12}\s+none\s+null\s+local", ls);

        // The default bridge is berth0 with the first default pool's gateway.
        Assert.Contains("inet 172.17.0.1/16", HostIp("addr", "show", "dev", "berth0"), StringComparison.Ordinal);
        var bridge = Inspect(daemon, "bridge");
        Assert.Equal("172.17.0.0/16", bridge.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Subnet").GetString());
        Assert.Equal("berth0", bridge.GetProperty("Options").GetProperty("com.docker.network.bridge.name").GetString());

        var rm = daemon.Docker("network", "rm", "bridge");
        Assert.NotEqual(0, rm.ExitCode);
        Assert.Contains("bridge is a pre-defined network and cannot be removed", rm.Error, StringComparison.Ordinal);

        var host = daemon.Docker("network", "create", "-d", "host", "myhost");
        Assert.NotEqual(0, host.ExitCode);
        Assert.Contains("only one instance of \"host\" network is allowed", host.Error, StringComparison.Ordinal);
    }

    [RootFact]
    public void BridgeNetworkWithEveryIpamOptionIsMadeEchoedAndRemoved()
    {
        using var daemon = StartDaemon();
        string id = daemon.DockerChecked("network", "create", "--subnet", "10.213.0.0/16", "--gateway", "10.213.0.1",
            "--ip-range", "10.213.5.0/24", "--aux-address", "host1=10.213.0.5",
            "-o", "com.docker.network.bridge.name=brtest1", "-o", "com.docker.network.driver.mtu=1400",
            "--label", "foo=bar", "testnet1").Output.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);

        // The kernel: the bridge with its MTU and gateway, up.
        string link = HostIp("-o", "link", "show", "brtest1");
        Assert.Contains("mtu 1400", link, StringComparison.Ordinal);
        Assert.Contains("inet 10.213.0.1/16", HostIp("addr", "show", "dev", "brtest1"), StringComparison.Ordinal);
        Assert.Contains("brtest1", Cmd.Check("ip", "netns", "exec", DockerHost.NetnsName, "nft", "list", "ruleset"), StringComparison.Ordinal);

        // What clients compare comes back exactly as sent.
        var network = Inspect(daemon, "testnet1");
        Assert.Equal(id, network.GetProperty("Id").GetString());
        Assert.Equal("bridge", network.GetProperty("Driver").GetString());
        Assert.Equal("local", network.GetProperty("Scope").GetString());
        var config = network.GetProperty("IPAM").GetProperty("Config")[0];
        Assert.Equal("10.213.0.0/16", config.GetProperty("Subnet").GetString());
        Assert.Equal("10.213.5.0/24", config.GetProperty("IPRange").GetString());
        Assert.Equal("10.213.0.1", config.GetProperty("Gateway").GetString());
        Assert.Equal("10.213.0.5", config.GetProperty("AuxiliaryAddresses").GetProperty("host1").GetString());
        Assert.Equal(
            """{"com.docker.network.bridge.name":"brtest1","com.docker.network.driver.mtu":"1400"}""",
            JsonSerializer.Serialize(network.GetProperty("Options")));
        Assert.Equal("bar", network.GetProperty("Labels").GetProperty("foo").GetString());

        // Filters.
        Assert.Equal(id[..12], daemon.DockerChecked("network", "ls", "-q", "--filter", "label=foo=bar").Output.Trim());
        Assert.Equal(id[..12], daemon.DockerChecked("network", "ls", "-q", "--filter", "name=testnet").Output.Trim());
        Assert.Contains("testnet1", daemon.DockerChecked("network", "ls", "--filter", "driver=bridge").Output, StringComparison.Ordinal);
        Assert.DoesNotContain("testnet1", daemon.DockerChecked("network", "ls", "--filter", "type=builtin").Output, StringComparison.Ordinal);
        Assert.Equal("testnet1", daemon.DockerChecked("network", "ls", "--filter", "dangling=true", "--format", "{{.Name}}").Output.Trim());

        Assert.Equal("testnet1", daemon.DockerChecked("network", "rm", "testnet1").Output.Trim());
        Assert.False(DockerHost.Exec("ip", "link", "show", "brtest1").Succeeded, "the bridge outlived its network");
        Assert.DoesNotContain("brtest1", Cmd.Check("ip", "netns", "exec", DockerHost.NetnsName, "nft", "list", "ruleset"), StringComparison.Ordinal);
        var gone = daemon.Docker("network", "inspect", "testnet1");
        Assert.NotEqual(0, gone.ExitCode);
    }

    [RootFact]
    public void TheGuidesMacvlanNetworkAndParentErrors()
    {
        using var daemon = StartDaemon();
        daemon.DockerChecked("network", "create", "-d", "macvlan", "--subnet=192.168.1.0/24", "--gateway=192.168.1.1", "-o", "parent=eth0", "my-macvlan");
        var network = Inspect(daemon, "my-macvlan");
        Assert.Equal("macvlan", network.GetProperty("Driver").GetString());
        Assert.Equal("eth0", network.GetProperty("Options").GetProperty("parent").GetString());
        Assert.Equal("192.168.1.1", network.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Gateway").GetString());

        var missing = daemon.Docker("network", "create", "-d", "macvlan", "--subnet=192.168.2.0/24", "-o", "parent=eth9", "bad1");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.True(missing.Error.Contains("parent interface eth9 does not exist; pick one of: eth0", StringComparison.Ordinal), missing.Error);

        var vlan = daemon.Docker("network", "create", "-d", "macvlan", "--subnet=192.168.3.0/24", "-o", "parent=eth0.10", "vlan10");
        bool kernelHasVlan = DockerHost.Exec("ip", "link", "add", "probe.10", "link", "eth0", "type", "vlan", "id", "10").Succeeded;
        if (kernelHasVlan)
        {
            DockerHost.Ip("link", "del", "probe.10");
            Assert.True(vlan.Succeeded, vlan.ToString());
            Assert.Contains("vlan", HostIp("-d", "link", "show", "eth0.10"), StringComparison.Ordinal);
            daemon.DockerChecked("network", "rm", "vlan10");
            Assert.False(DockerHost.Exec("ip", "link", "show", "eth0.10").Succeeded);
        }
        else
        {
            Assert.NotEqual(0, vlan.ExitCode);
            Assert.Contains("this kernel cannot make the 802.1Q sub-interface (it was built without CONFIG_VLAN_8021Q)", vlan.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("vlan10", daemon.DockerChecked("network", "ls").Output, StringComparison.Ordinal);
        }

        var mode = daemon.Docker("network", "create", "-d", "macvlan", "--subnet=192.168.4.0/24", "-o", "parent=eth0", "-o", "macvlan_mode=sideways", "bad2");
        Assert.Contains("macvlan_mode \"sideways\" is not supported", mode.Error, StringComparison.Ordinal);
        daemon.DockerChecked("network", "create", "-d", "macvlan", "--subnet=192.168.5.0/24", "-o", "parent=eth0", "-o", "macvlan_mode=private", "priv");

        // No parent: an internal macvlan network on a placeholder link of its own.
        daemon.DockerChecked("network", "create", "-d", "macvlan", "--subnet=192.168.6.0/24", "isolated-mv");
        string placeholder = "mv-" + Inspect(daemon, "isolated-mv").GetProperty("Id").GetString()![..12];
        Assert.True(DockerHost.Exec("ip", "link", "show", placeholder).Succeeded);
        daemon.DockerChecked("network", "rm", "isolated-mv", "priv", "my-macvlan");
        Assert.False(DockerHost.Exec("ip", "link", "show", placeholder).Succeeded);
    }

    [RootFact]
    public void BadRequestsGetClearErrorsAndMakeNothing()
    {
        using var daemon = StartDaemon();
        daemon.DockerChecked("network", "create", "--subnet", "172.30.0.0/24", "frontnet");

        AssertFails(daemon, "network with name frontnet already exists", "network", "create", "frontnet");
        AssertFails(daemon, "overlaps network \"frontnet\"", "network", "create", "--subnet", "172.30.0.0/16", "backnet");
        AssertFails(daemon, "This node is not a swarm manager", "network", "create", "-d", "overlay", "--attachable", "ovl");
        AssertFails(daemon, "network driver \"wibble\" is not supported", "network", "create", "-d", "wibble", "w");
        AssertFails(daemon, "unknown option \"com.docker.network.bridge.enable_iccc\"", "network", "create", "-o", "com.docker.network.bridge.enable_iccc=false", "typo");
        AssertFails(daemon, "not a boolean", "network", "create", "-o", "com.docker.network.bridge.enable_icc=maybe", "typo2");
        AssertFails(daemon, "no matching subnet for gateway 10.60.0.1", "network", "create", "--subnet", "10.50.0.0/16", "--gateway", "10.60.0.1", "gw");

        string ls = daemon.DockerChecked("network", "ls", "--format", "{{.Name}}").Output;
        Assert.Equal(["bridge", "frontnet", "host", "none"], ls.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToArray());
        Assert.Equal(2, HostIp("-o", "link", "show", "type", "bridge").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // berth0 + frontnet's
    }

    [RootFact]
    public void TheGuidesIsolatedNetworkInternalAndIpv6()
    {
        using var daemon = StartDaemon();
        daemon.DockerChecked("network", "create", "-d", "bridge", "--subnet", "172.30.0.0/16", "--gateway", "172.30.0.1",
            "-o", "com.docker.network.bridge.enable_icc=false", "isolated");
        Assert.Contains("inet 172.30.0.1/16", HostIp("addr", "show", "dev", "br-" + ShortId(daemon, "isolated")), StringComparison.Ordinal);

        daemon.DockerChecked("network", "create", "--internal", "internalnet");
        var internalNet = Inspect(daemon, "internalnet");
        Assert.True(internalNet.GetProperty("Internal").GetBoolean());
        Assert.Equal("172.18.0.0/16", internalNet.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Subnet").GetString());

        daemon.DockerChecked("network", "create", "--ipv6", "--subnet", "fd00:dead:beef::/64", "v6net");
        var v6 = Inspect(daemon, "v6net").GetProperty("IPAM").GetProperty("Config");
        Assert.Equal("172.19.0.0/16", v6[0].GetProperty("Subnet").GetString());
        Assert.Equal("fd00:dead:beef::/64", v6[1].GetProperty("Subnet").GetString());
        Assert.Contains("fd00:dead:beef::1/64", HostIp("addr", "show", "dev", "br-" + ShortId(daemon, "v6net")), StringComparison.Ordinal);

        AssertFails(daemon, "could not find an available, non-overlapping IPv6 address pool", "network", "create", "--ipv6", "nov6");
    }

    [RootFact]
    public void PruneRemovesOnlyWhatTheFilterSelects()
    {
        using var daemon = StartDaemon();
        daemon.DockerChecked("network", "create", "--label", "env=test", "p1");
        daemon.DockerChecked("network", "create", "--label", "env=test", "p2");
        daemon.DockerChecked("network", "create", "--label", "env=prod", "p3");
        string pruned = daemon.DockerChecked("network", "prune", "-f", "--filter", "label=env=test").Output;
        Assert.Contains("p1", pruned, StringComparison.Ordinal);
        Assert.Contains("p2", pruned, StringComparison.Ordinal);
        Assert.DoesNotContain("p3", pruned, StringComparison.Ordinal);
        string ls = daemon.DockerChecked("network", "ls", "--format", "{{.Name}}").Output;
        Assert.Contains("p3", ls, StringComparison.Ordinal);
        Assert.DoesNotContain("p1", ls, StringComparison.Ordinal);
        daemon.DockerChecked("network", "prune", "-f");
        Assert.DoesNotContain("p3", daemon.DockerChecked("network", "ls").Output, StringComparison.Ordinal);
        // Removed bridges are renamed bx-* at once and unregistered in the background: wait for the kernel.
        Assert.True(Poll.Until(() => HostIp("-o", "link", "show", "type", "bridge").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 1, TimeSpan.FromSeconds(10)),
            "bridges left after prune: " + HostIp("-o", "link", "show", "type", "bridge"));
    }

    [RootFact]
    public void ConcurrentCreatesGetDistinctSubnets()
    {
        using var daemon = StartDaemon();

        // 25 clients at once, each letting IPAM pick from the default pools (30 free after the default bridge).
        var results = Enumerable.Range(0, 25)
            .AsParallel().WithDegreeOfParallelism(25)
            .Select(i => daemon.Docker("network", "create", $"c{i}"))
            .ToList();
        Assert.All(results, r => Assert.True(r.Succeeded, r.ToString()));

        var subnets = Enumerable.Range(0, 25)
            .Select(i => Inspect(daemon, $"c{i}").GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Subnet").GetString())
            .ToList();
        Assert.Equal(25, subnets.Distinct().Count());
        Assert.DoesNotContain("172.17.0.0/16", subnets);
        daemon.DockerChecked("network", "prune", "-f");
    }

    private static void AssertFails(Berthd daemon, string message, params string[] args)
    {
        var result = daemon.Docker(args);
        Assert.True(result.ExitCode != 0, "expected a failure: " + result);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    internal static JsonElement Inspect(Berthd daemon, string name)
    {
        using var document = JsonDocument.Parse(daemon.DockerChecked("network", "inspect", name).Output);
        return document.RootElement[0].Clone();
    }

    internal static string ShortId(Berthd daemon, string name) => Inspect(daemon, name).GetProperty("Id").GetString()![..12];
}
