using System.Text.Json;
using Berth.Linux.Nftables;

namespace Berth.Network.Firewall;

/// <summary>
/// Decides whether a table in the kernel has the shape Berth wants, from nft's JSON listing: the same sets (name, key
/// type, flags), the same chains (type, hook, policy) and, chain by chain, the same rule comments in the same order.
/// Rule comments carry <see cref="FirewallRuleset.Fingerprint"/>, so any change of a rule, priority or set declaration
/// in a newer Berth shows up as different comments. Elements are not part of the shape.
/// </summary>
internal static class FirewallShape
{
    public static bool Matches(string listingJson, NftTable expected)
    {
        using var doc = JsonDocument.Parse(listingJson);
        var sets = new List<string>();
        var chains = new List<string>();
        var rules = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!doc.RootElement.TryGetProperty("nftables", out var items))
        {
            return false;
        }

        foreach (var item in items.EnumerateArray())
        {
            if (item.TryGetProperty("set", out var set))
            {
                sets.Add(DescribeSet(set));
            }
            else if (item.TryGetProperty("map", out var map))
            {
                sets.Add(DescribeSet(map));
            }
            else if (item.TryGetProperty("chain", out var chain))
            {
                chains.Add($"{Text(chain, "name")} {Text(chain, "type")} {Text(chain, "hook")} {Text(chain, "policy")}");
            }
            else if (item.TryGetProperty("rule", out var rule))
            {
                string chainName = Text(rule, "chain");
                if (!rules.TryGetValue(chainName, out var list))
                {
                    rules[chainName] = list = [];
                }

                list.Add(Text(rule, "comment"));
            }
        }

        var expectedSets = expected.Sets.Select(DescribeSet).Concat(expected.Maps.Select(DescribeMap)).Order(StringComparer.Ordinal);
        var expectedChains = expected.Chains.Select(DescribeChain).Order(StringComparer.Ordinal);
        return sets.Order(StringComparer.Ordinal).SequenceEqual(expectedSets)
            && chains.Order(StringComparer.Ordinal).SequenceEqual(expectedChains)
            && rules.Keys.All(k => expected.Chains.Any(c => c.Name == k))
            && expected.Chains.All(c => (rules.TryGetValue(c.Name, out var listed) ? listed : []).SequenceEqual(c.Rules.Select(r => r.Comment ?? "")));
    }

    private static string DescribeSet(JsonElement set)
    {
        string type = set.TryGetProperty("type", out var t)
            ? t.ValueKind == JsonValueKind.Array ? string.Join(" . ", t.EnumerateArray().Select(p => p.GetString())) : t.GetString() ?? ""
            : "";
        string flags = set.TryGetProperty("flags", out var f)
            ? f.ValueKind == JsonValueKind.Array ? string.Join(',', f.EnumerateArray().Select(p => p.GetString()).Order(StringComparer.Ordinal)) : f.GetString() ?? ""
            : "";
        string data = set.TryGetProperty("map", out var d) && d.ValueKind == JsonValueKind.String ? " : " + d.GetString() : "";
        return $"{Text(set, "name")} {type}{data} {flags}";
    }

    private static string DescribeMap(NftMap map) =>
        $"{map.Name} {map.KeyType.Render()} : {map.DataType.Render()} {Flags(map.Flags)}";

    private static string DescribeSet(NftSet set) => $"{set.Name} {set.KeyType.Render()} {Flags(set.Flags)}";

    private static string Flags(NftSetFlags setFlags)
    {
        var flags = new List<string>();
        if (setFlags.HasFlag(NftSetFlags.Constant))
        {
            flags.Add("constant");
        }

        if (setFlags.HasFlag(NftSetFlags.Interval))
        {
            flags.Add("interval");
        }

        if (setFlags.HasFlag(NftSetFlags.Timeout))
        {
            flags.Add("timeout");
        }

        return string.Join(',', flags.Order(StringComparer.Ordinal));
    }

    private static string DescribeChain(NftChain chain)
    {
        if (chain.Base is not { } b)
        {
            return $"{chain.Name}   ";
        }

        string type = b.Type switch { NftChainType.Filter => "filter", NftChainType.Nat => "nat", _ => "route" };
        string hook = b.Hook.ToString().ToLowerInvariant();
        string policy = b.Policy switch { NftPolicy.Accept => "accept", NftPolicy.Drop => "drop", _ => "" };
        return $"{chain.Name} {type} {hook} {policy}";
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
