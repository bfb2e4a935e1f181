using System.Collections.Immutable;

namespace Berth.Compose.Loading;

/// <summary>
/// Merges the files given with <c>-f</c>, later over earlier, by the Compose Specification's merge rules: mappings merge
/// key by key, sequences append, and the exceptions — <c>command</c>, <c>entrypoint</c> and <c>healthcheck.test</c> are
/// replaced; <c>environment</c>, <c>labels</c>, <c>extra_hosts</c>, <c>networks</c>, <c>depends_on</c> merge as mappings
/// whichever form each file uses; <c>volumes</c> are unique by target and <c>ports</c>/<c>expose</c>/<c>dns</c> by value.
/// A value tagged <c>!reset</c> removes the setting, <c>!override</c> replaces it whole.
/// </summary>
internal static class NodeMerger
{
    private static readonly HashSet<string> ReplacedServiceKeys = new(StringComparer.Ordinal) { "command", "entrypoint" };

    private static readonly Dictionary<string, char[]> MappingLikeServiceKeys = new(StringComparer.Ordinal)
    {
        ["environment"] = ['='],
        ["labels"] = ['='],
        ["annotations"] = ['='],
        ["sysctls"] = ['='],
        ["extra_hosts"] = ['=', ':'],
        ["networks"] = [],
        ["depends_on"] = [],
    };

    private static readonly HashSet<string> StringOrListServiceKeys = new(StringComparer.Ordinal) { "dns", "dns_search", "env_file", "tmpfs" };

    private static readonly HashSet<string> UniqueValueServiceKeys = new(StringComparer.Ordinal) { "ports", "expose", "dns", "dns_search", "profiles" };

    public static MappingNode Merge(MappingNode first, MappingNode second) => (MappingNode)MergeMappings(first, second, []);

    private static ComposeNode? MergeNode(ComposeNode? under, ComposeNode over, ImmutableArray<string> path)
    {
        switch (over.Tag)
        {
            case "!reset":
                return null;
            case "!override":
                return over with { Tag = null };
        }

        if (under is null)
        {
            return over;
        }

        // services.NAME.KEY
        if (path.Length == 3 && path[0] == "services")
        {
            var key = path[2];
            if (ReplacedServiceKeys.Contains(key))
            {
                return over;
            }

            if (MappingLikeServiceKeys.TryGetValue(key, out var separators))
            {
                under = NodeForms.ToMapping(under, separators);
                over = NodeForms.ToMapping(over, separators);
            }
            else if (StringOrListServiceKeys.Contains(key))
            {
                under = NodeForms.ToSequence(under);
                over = NodeForms.ToSequence(over);
            }

            if (key == "volumes" && under is SequenceNode volumesUnder && over is SequenceNode volumesOver)
            {
                var targets = volumesOver.Items.Select(VolumeTarget).Where(t => t is not null).ToHashSet(StringComparer.Ordinal);
                return volumesOver with { Items = [.. volumesUnder.Items.Where(i => !targets.Contains(VolumeTarget(i))), .. volumesOver.Items] };
            }

            if (UniqueValueServiceKeys.Contains(key) && under is SequenceNode uniqueUnder && over is SequenceNode uniqueOver)
            {
                var seen = uniqueUnder.Items.OfType<ScalarNode>().Select(s => s.Value).ToHashSet(StringComparer.Ordinal);
                return uniqueOver with { Items = [.. uniqueUnder.Items, .. uniqueOver.Items.Where(i => i is not ScalarNode s || seen.Add(s.Value))] };
            }
        }

        // services.NAME.healthcheck.test
        if (path.Length == 4 && path[0] == "services" && path[2] == "healthcheck" && path[3] == "test")
        {
            return over;
        }

        return (under, over) switch
        {
            (MappingNode a, MappingNode b) => MergeMappings(a, b, path),
            (SequenceNode a, SequenceNode b) => b with { Items = [.. a.Items, .. b.Items] },
            _ => over,
        };
    }

    private static ComposeNode MergeMappings(MappingNode under, MappingNode over, ImmutableArray<string> path)
    {
        var entries = under.Entries.ToList();
        foreach (var entry in over.Entries)
        {
            var index = entries.FindIndex(e => e.Key.Value == entry.Key.Value);
            var merged = MergeNode(index >= 0 ? entries[index].Value : null, entry.Value, path.Add(entry.Key.Value));
            if (merged is null)
            {
                if (index >= 0)
                {
                    entries.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                entries[index] = new MappingEntry(entries[index].Key, merged);
            }
            else
            {
                entries.Add(new MappingEntry(entry.Key, merged));
            }
        }

        return under with { Entries = [.. entries] };
    }

    /// <summary>The container path of a volume entry, short (<c>src:/target:ro</c>) or long form; null if it has none.</summary>
    private static string? VolumeTarget(ComposeNode node) => node switch
    {
        ScalarNode scalar => VolumeSpec.SplitShort(scalar.Value).Target,
        MappingNode map => (map["target"] as ScalarNode)?.Value,
        _ => null,
    };
}
