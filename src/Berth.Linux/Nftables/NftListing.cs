using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;

namespace Berth.Linux.Nftables;

/// <summary>
/// Parses nft's JSON listings of chains and rules. The listings may describe other tools' tables (iptables-nft,
/// Docker, firewalld), so parsing is defensive: an item whose fields are missing, of another JSON kind or not
/// nameable in nft text is skipped, never an error, and the rules' expressions are only searched for verdicts.
/// </summary>
public static class NftListing
{
    private static readonly FrozenSet<string> Verdicts =
        new[] { "accept", "drop", "reject", "jump", "goto", "return", "queue", "continue" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The chains of a <c>list chains</c> (or <c>list table …</c>) listing.</summary>
    /// <exception cref="JsonException">The text is not JSON at all.</exception>
    public static IReadOnlyList<NftChainInfo> ParseChains(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonDocument.Parse(json);
        var chains = new List<NftChainInfo>();
        foreach (var item in Items(doc))
        {
            if (!item.TryGetProperty("chain", out var chain) || chain.ValueKind != JsonValueKind.Object
                || !TryChainRef(chain, "name", out var reference))
            {
                continue;
            }

            chains.Add(new NftChainInfo(reference, String(chain, "type"), String(chain, "hook"), Int(chain, "prio"), String(chain, "policy")));
        }

        return chains;
    }

    /// <summary>The rules of <paramref name="chain"/> in a <c>list chain …</c> listing, in order.</summary>
    /// <exception cref="JsonException">The text is not JSON at all.</exception>
    public static IReadOnlyList<NftRuleInfo> ParseRules(string json, NftChainRef chain)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonDocument.Parse(json);
        var rules = new List<NftRuleInfo>();
        foreach (var item in Items(doc))
        {
            if (!item.TryGetProperty("rule", out var rule) || rule.ValueKind != JsonValueKind.Object
                || !TryChainRef(rule, "chain", out var reference) || reference != chain
                || !rule.TryGetProperty("handle", out var handle) || handle.ValueKind != JsonValueKind.Number || !handle.TryGetInt64(out long handleValue))
            {
                continue;
            }

            var verdicts = ImmutableArray.CreateBuilder<string>();
            if (rule.TryGetProperty("expr", out var expr))
            {
                CollectVerdicts(expr, verdicts);
            }

            rules.Add(new NftRuleInfo(handleValue, String(rule, "comment"), verdicts.ToImmutable()));
        }

        return rules;
    }

    private static bool TryChainRef(JsonElement item, string nameProperty, out NftChainRef reference)
    {
        reference = default;
        string? table = String(item, "table");
        string? name = String(item, nameProperty);
        if (!NftText.TryParseFamily(String(item, "family") ?? "", out var family) || !NftChainRef.CanName(table, name))
        {
            return false;
        }

        reference = new NftChainRef(family, table!, name!);
        return true;
    }

    /// <summary>Verdicts appear as keys (<c>{"drop": null}</c>, <c>{"jump": {"target": "x"}}</c>), also inside vmaps.</summary>
    private static void CollectVerdicts(JsonElement element, ImmutableArray<string>.Builder verdicts)
    {
        const int MaxDepth = 32;
        Collect(element, 0);

        void Collect(JsonElement e, int depth)
        {
            if (depth > MaxDepth)
            {
                return;
            }

            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in e.EnumerateObject())
                    {
                        if (Verdicts.Contains(property.Name))
                        {
                            verdicts.Add(property.Name);
                        }

                        Collect(property.Value, depth + 1);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var child in e.EnumerateArray())
                    {
                        Collect(child, depth + 1);
                    }

                    break;
            }
        }
    }

    private static string? String(JsonElement item, string property) =>
        item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement item, string property) =>
        item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : null;

    private static IEnumerable<JsonElement> Items(JsonDocument doc) =>
        doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("nftables", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray()
            : [];

}
