using System.Collections.Immutable;
using System.Diagnostics;
using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Nftables;
using Xunit.Abstractions;

namespace Berth.Linux.IntegrationTests.Nftables;

public sealed class NftablesContextTests(ITestOutputHelper output) : LabTest
{
    private static readonly NftTableRef Berth = new(NftFamily.Inet, "berth");

    private static NftElement PortMapping(ushort hostPort, string address, ushort port) =>
        new(new NftPort(hostPort), new NftConcat(NftAddress.Parse(address), new NftPort(port)));

    private static NftTable BerthTable(params NftElement[] portmap) => new(
        Berth,
        chains:
        [
            new NftChain("pre", new NftBaseChain(NftChainType.Nat, NftHook.Prerouting, NftPriority.Dstnat, NftPolicy.Accept),
            [
                new NftRule(
                    new NftMatch(NftSelector.IpDaddr, NftAddress.Parse("203.0.113.1")),
                    new NftNatMap(NftNatKind.Dnat, ipv6: false, NftSelector.TcpDport, "portmap")).WithComment("published ports"),
            ]),
            new NftChain("forwarding", new NftBaseChain(NftChainType.Filter, NftHook.Forward, NftPriority.Filter, NftPolicy.Drop),
            [
                new NftRule(new NftMatch(NftSelector.CtState, new NftCtStateValue(NftCtState.Established | NftCtState.Related)), new NftVerdictStatement(NftVerdict.Accept)),
                new NftRule(new NftVerdictMapLookup(NftSelector.Iifname, "bridges")),
            ]),
            new NftChain("fwd_abc", rules: [new NftRule(new NftMatch(NftSelector.IpSaddr, new NftSetRef("allowed")), NftCounter.Instance, new NftVerdictStatement(NftVerdict.Accept))]),
        ],
        sets:
        [
            new NftSet("allowed", NftType.Ipv4Addr, NftSetFlags.Interval,
                [NftPrefix.Parse("10.0.0.0/24"), new NftRange(NftAddress.Parse("10.1.0.1"), NftAddress.Parse("10.1.0.9")), NftAddress.Parse("192.168.1.1")]),
            new NftSet("pairs", NftType.Of(NftBasicType.Ipv4Addr, NftBasicType.InetService), elements: [new NftConcat(NftAddress.Parse("10.0.0.1"), new NftPort(80))]),
        ],
        maps:
        [
            new NftMap("portmap", NftType.InetService, NftType.Of(NftBasicType.Ipv4Addr, NftBasicType.InetService), elements: [.. portmap]),
            NftMap.Verdicts("bridges", NftType.Ifname, [new NftElement(new NftInterfaceName("br-abc"), NftVerdict.Jump("fwd_abc"))]),
        ]);

    [RootFact]
    public void Table_with_base_chains_sets_and_maps_round_trips_its_elements()
    {
        using var nft = IsolatedNftables.Create(Runner);
        nft.Apply(new NftBatch().ReplaceTable(BerthTable(PortMapping(8080, "10.0.0.2", 80))));

        Assert.True(nft.TableExists(NftFamily.Inet, "berth"));
        Assert.Equal(["8080 : 10.0.0.2 . 80"], nft.ListElements(NftFamily.Inet, "berth", "portmap"));
        Assert.Equal(["\"br-abc\" : jump fwd_abc"], nft.ListElements(NftFamily.Inet, "berth", "bridges"));
        Assert.Equal(["10.0.0.1 . 80"], nft.ListElements(NftFamily.Inet, "berth", "pairs"));
        Assert.Equal(
            ["10.0.0.0/24", "10.1.0.1-10.1.0.9", "192.168.1.1"],
            nft.ListElements(NftFamily.Inet, "berth", "allowed").Order(StringComparer.Ordinal));

        nft.Apply(new NftBatch().AddElements(Berth, "portmap", [PortMapping(8443, "10.0.0.3", 443)]));
        Assert.Equal(["8080 : 10.0.0.2 . 80", "8443 : 10.0.0.3 . 443"], nft.ListElements(NftFamily.Inet, "berth", "portmap").Order(StringComparer.Ordinal));

        nft.Apply(new NftBatch().DeleteElements(Berth, "portmap", [new NftPort(8080)]));
        Assert.Equal(["8443 : 10.0.0.3 . 443"], nft.ListElements(NftFamily.Inet, "berth", "portmap"));

        nft.Apply(new NftBatch().DeleteTable(Berth));
        Assert.False(nft.TableExists(Berth));
        nft.Apply(new NftBatch().DeleteTable(Berth)); // idempotent teardown
    }

    [RootFact]
    public void A_failing_replace_leaves_the_previous_table_intact()
    {
        using var nft = IsolatedNftables.Create(Runner);
        nft.Apply(new NftBatch().ReplaceTable(BerthTable(PortMapping(8080, "10.0.0.2", 80))));

        var broken = new NftBatch()
            .ReplaceTable(BerthTable(PortMapping(9090, "10.0.0.9", 90)))
            .AddRule(Berth, "forwarding", new NftRule(new NftVerdictMapLookup(NftSelector.Oifname, "no_such_map")));
        var e = Assert.Throws<NftablesException>(() => nft.Apply(broken));

        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal(["8080 : 10.0.0.2 . 80"], nft.ListElements(NftFamily.Inet, "berth", "portmap"));
        Assert.Contains("\"published ports\"", nft.ListJson("list chain inet berth pre"), StringComparison.Ordinal);
    }

    [RootFact]
    public void A_users_own_table_survives_every_berth_operation()
    {
        using var nft = IsolatedNftables.Create(Runner);
        nft.Apply("table inet usertable {\n chain input { type filter hook input priority 0; policy accept; tcp dport 22 accept; }\n set mine { type ipv4_addr; elements = { 198.51.100.7 } }\n}\n");
        var user = new NftTableRef(NftFamily.Inet, "usertable");

        nft.Apply(new NftBatch().ReplaceTable(BerthTable(PortMapping(8080, "10.0.0.2", 80))));
        nft.Apply(new NftBatch().ReplaceTable(BerthTable()));
        nft.Apply(new NftBatch().AddElements(Berth, "portmap", [PortMapping(1, "10.0.0.1", 1)]).FlushChain(Berth, "forwarding"));
        Assert.ThrowsAny<NftablesException>(() => nft.Apply(new NftBatch().ReplaceTable(BerthTable()).AddRule(Berth, "nope", new NftRule(NftCounter.Instance))));
        nft.Apply(new NftBatch().DeleteTable(Berth));

        Assert.Equal([user], nft.ListTables());
        Assert.Equal(["198.51.100.7"], nft.ListElements(NftFamily.Inet, "usertable", "mine"));
        Assert.Contains("\"dport\"", nft.ListJson("list chain inet usertable input"), StringComparison.Ordinal);
    }

    [RootFact]
    public void Nft_error_text_reaches_the_exception_with_a_kind()
    {
        using var nft = IsolatedNftables.Create(Runner);
        nft.Apply(new NftBatch().ReplaceTable(BerthTable(PortMapping(8080, "10.0.0.2", 80))));

        var missing = Assert.Throws<NftablesException>(() => nft.Apply(new NftBatch().AddElements(Berth, "nomap", [new NftPort(1)])));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
        Assert.Contains("No such file or directory", missing.NftError, StringComparison.Ordinal);
        Assert.Contains("add element inet berth nomap", missing.Message, StringComparison.Ordinal);

        var duplicate = Assert.Throws<NftablesException>(() => nft.Apply(new NftBatch().AddElements(Berth, "portmap", [PortMapping(8080, "10.0.0.5", 80)])));
        Assert.Equal(ErrorKind.Conflict, duplicate.Kind);
        Assert.Contains("File exists", duplicate.Message, StringComparison.Ordinal);

        var syntax = Assert.Throws<NftablesException>(() => nft.Apply("add rule inet berth pre foo bar"));
        Assert.Equal(ErrorKind.InvalidArgument, syntax.Kind);
        Assert.Contains("foo bar", syntax.NftError, StringComparison.Ordinal);
        Assert.Contains("^", syntax.NftError, StringComparison.Ordinal);

        var noSet = Assert.Throws<NftablesException>(() => nft.ListElements(NftFamily.Inet, "berth", "nothing"));
        Assert.Equal(ErrorKind.NotFound, noSet.Kind);
        Assert.Contains("\"nothing\"", noSet.Message, StringComparison.Ordinal);

        // Errors must not leak into the next call's buffer.
        nft.Apply(new NftBatch().AddElements(Berth, "portmap", [PortMapping(8081, "10.0.0.2", 81)]));
    }

    [RootFact]
    public void A_context_made_in_another_netns_never_touches_the_hosts_ruleset()
    {
        var name = new NftTableRef(NftFamily.Inet, $"berth_isolation_{Environment.ProcessId}");
        using (var nft = IsolatedNftables.Create(Runner))
        {
            // Used from this (host) thread, the context still works on its own netns.
            nft.Apply(new NftBatch().ReplaceTable(new NftTable(name)));
            Assert.True(nft.TableExists(name));
        }

        using var host = new NftablesContext();
        Assert.False(host.TableExists(name));
    }

    /// <summary>
    /// libnftables opens its context's netlink socket without close-on-exec: every child started while a context was
    /// open kept it, and with it the context's namespace (a container's, held alive with its veths by the conmon of
    /// any container started later; found by ClusterChaosTests' node restart). A child gets no socket now.
    /// </summary>
    [RootFact]
    public void A_child_started_while_a_context_is_open_inherits_no_socket_of_it()
    {
        using var nft = IsolatedNftables.Create(Runner);
        Assert.False(nft.TableExists(new NftTableRef(NftFamily.Inet, "berth_absent")));
        using var child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            var sockets = Directory.GetFiles($"/proc/{child.Id}/fd")
                .Where(fd => int.Parse(Path.GetFileName(fd), System.Globalization.CultureInfo.InvariantCulture) > 2)
                .Select(fd => (Fd: Path.GetFileName(fd), Target: new FileInfo(fd).LinkTarget ?? ""))
                .Where(fd => fd.Target.StartsWith("socket:", StringComparison.Ordinal))
                .ToList();
            Assert.True(sockets.Count == 0, "the child inherited " + string.Join(", ", sockets.Select(s => $"fd {s.Fd} {s.Target}")));
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
    }

    [RootFact]
    public void Performance_sanity_of_element_adds_and_big_rulesets()
    {
        using var nft = IsolatedNftables.Create(Runner);
        const int Elements = 1000;
        var mappings = Enumerable.Range(0, Elements)
            .Select(i => PortMapping((ushort)(10000 + i), $"10.0.{i / 250}.{(i % 250) + 2}", 80)).ToArray();
        nft.Apply(new NftBatch().ReplaceTable(BerthTable(mappings)));

        var samples = new List<double>();
        for (int i = 0; i < 21; i++)
        {
            var batch = new NftBatch().AddElements(Berth, "portmap", [PortMapping((ushort)(20000 + i), "10.9.0.2", 80)]);
            long start = Stopwatch.GetTimestamp();
            nft.Apply(batch);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        Assert.Equal(Elements + 21, nft.ListElements(NftFamily.Inet, "berth", "portmap").Count);

        const int Rules = 1000;
        var rules = Enumerable.Range(0, Rules).Select(i => new NftRule(
            new NftMatch(NftSelector.IpDaddr, NftAddress.Parse("203.0.113.1")),
            new NftMatch(NftSelector.TcpDport, new NftPort((ushort)(30000 + i))),
            new NftNat(NftNatKind.Dnat, NftAddress.Parse($"10.1.{i / 250}.{(i % 250) + 2}"), 80))).ToImmutableArray();
        var big = new NftTable(new NftTableRef(NftFamily.Inet, "berth_big"),
            chains: [new NftChain("pre", new NftBaseChain(NftChainType.Nat, NftHook.Prerouting, NftPriority.Dstnat), rules)]);
        var ruleTimes = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            string text = new NftBatch().ReplaceTable(big).Render();
            long start = Stopwatch.GetTimestamp();
            nft.Apply(text);
            ruleTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        Assert.Equal(Rules, CountOf(nft.ListJson("list chain inet berth_big pre"), "\"rule\""));
        output.WriteLine($"add one element to a map of {Elements}: median {Median(samples):F2} ms (min {samples.Min():F2}, max {samples.Max():F2}, n={samples.Count})");
        output.WriteLine($"replace a table of {Rules} dnat rules (render excluded): median {Median(ruleTimes):F1} ms (min {ruleTimes.Min():F1}, max {ruleTimes.Max():F1}, n={ruleTimes.Count})");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
