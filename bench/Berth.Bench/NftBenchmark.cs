using System.Diagnostics;
using Berth.Linux.Namespaces;
using Berth.Linux.Nftables;

namespace Berth.Bench;

/// <summary>
/// nftables through libnftables in-process: adding one element to a DNAT map of 1,000 elements
/// (per-object state is an element, not a re-render), and applying a 1,000-rule ruleset in one
/// transaction; <c>nft -f</c> execs of the same text as the reference, in the same run.
/// </summary>
internal sealed class NftBenchmark(TextWriter log)
{
    private const int MapSize = 1000;
    private const int ElementAdds = 200;
    private const int RulesetRules = 1000;
    private const int RulesetRepetitions = 7;
    private const int ExecRepetitions = 20;

    private static readonly NftTableRef MapTable = new(NftFamily.Ip, "berthbench");
    private static readonly NftTableRef RuleTable = new(NftFamily.Ip, "berthbench_rules");

    public void Run(BenchResult result, NetworkNamespace host, string hostName)
    {
        log.WriteLine($"nft: map of {MapSize} elements, {ElementAdds} single-element adds; {RulesetRules}-rule ruleset x{RulesetRepetitions}");
        var nft = host.Nft;
        nft.Apply(new NftBatch().ReplaceTable(MapTableWith(MapSize)));

        var adds = new List<double>(ElementAdds);
        var clock = new Stopwatch();
        for (int i = 0; i < ElementAdds; i++)
        {
            var batch = new NftBatch().AddElements(MapTable, "portmap", [Mapping(20000 + i)]);
            clock.Restart();
            nft.Apply(batch);
            adds.Add(clock.Elapsed.TotalMilliseconds);
        }

        int elements = nft.ListElements(NftFamily.Ip, MapTable.Name, "portmap").Count;
        if (elements != MapSize + ElementAdds)
        {
            throw new InvalidOperationException($"expected {MapSize + ElementAdds} map elements, found {elements}");
        }

        var ruleset = new NftBatch().ReplaceTable(RuleTableWith(RulesetRules));
        string rulesetText = ruleset.Render();
        var applies = new List<double>(RulesetRepetitions);
        for (int i = 0; i < RulesetRepetitions; i++)
        {
            clock.Restart();
            nft.Apply(rulesetText);
            applies.Add(clock.Elapsed.TotalMilliseconds);
        }

        result.Add("nft_element_add_ms", Stats.Median(adds));
        result.Add("nft_element_add_p90_ms", Stats.Percentile(adds, 90));
        result.Add("nft_ruleset_1000_ms", Stats.Median(applies));

        // The reference: the nft command, one exec per change, the way iptables-era engines work.
        string file = Path.Combine(Path.GetTempPath(), $"berth-bench-{Environment.ProcessId}.nft");
        try
        {
            var execAdds = new List<double>(ExecRepetitions);
            for (int i = 0; i < ExecRepetitions; i++)
            {
                File.WriteAllText(file, new NftBatch().AddElements(MapTable, "portmap", [Mapping(40000 + i)]).Render());
                clock.Restart();
                Exec.Run("ip", "netns", "exec", hostName, "nft", "-f", file);
                execAdds.Add(clock.Elapsed.TotalMilliseconds);
            }

            File.WriteAllText(file, rulesetText);
            var execApplies = new List<double>(RulesetRepetitions);
            for (int i = 0; i < RulesetRepetitions; i++)
            {
                clock.Restart();
                Exec.Run("ip", "netns", "exec", hostName, "nft", "-f", file);
                execApplies.Add(clock.Elapsed.TotalMilliseconds);
            }

            result.Add("nft_exec_element_add_ms", Stats.Median(execAdds));
            result.Add("nft_exec_ruleset_1000_ms", Stats.Median(execApplies));
        }
        finally
        {
            File.Delete(file);
        }

        nft.Apply(new NftBatch().DeleteTable(MapTable).DeleteTable(RuleTable));
    }

    private static NftElement Mapping(int hostPort) =>
        new(new NftPort((ushort)hostPort), new NftConcat(new NftAddress(BenchLab.EndpointAddress(0, hostPort % 500).Address), new NftPort(80)));

    private static NftTable MapTableWith(int size) => new(
        MapTable,
        chains:
        [
            new NftChain("pre", new NftBaseChain(NftChainType.Nat, NftHook.Prerouting, NftPriority.Dstnat, NftPolicy.Accept),
            [
                new NftRule(
                    new NftMatch(NftSelector.IpDaddr, NftAddress.Parse("10.88.0.1")),
                    new NftNatMap(NftNatKind.Dnat, ipv6: false, NftSelector.TcpDport, "portmap")),
            ]),
        ],
        maps:
        [
            new NftMap("portmap", NftType.InetService, NftType.Of(NftBasicType.Ipv4Addr, NftBasicType.InetService),
                elements: [.. Enumerable.Range(10000, size).Select(Mapping)]),
        ]);

    /// <summary>1,000 DNAT rules, one per port: what a per-rule design would have to apply.</summary>
    private static NftTable RuleTableWith(int rules) => new(
        RuleTable,
        chains:
        [
            new NftChain("pre", new NftBaseChain(NftChainType.Nat, NftHook.Prerouting, NftPriority.Dstnat, NftPolicy.Accept),
            [
                .. Enumerable.Range(10000, rules).Select(port => new NftRule(
                    new NftMatch(NftSelector.IpDaddr, NftAddress.Parse("10.88.0.1")),
                    new NftMatch(NftSelector.TcpDport, new NftPort((ushort)port)),
                    new NftNat(NftNatKind.Dnat, new NftAddress(BenchLab.EndpointAddress(0, port % 500).Address), 80))),
            ]),
        ]);
}
