using System.Collections.Immutable;

namespace Berth.Compose.Loading;

/// <summary>
/// The two spellings Compose allows for one setting, brought to one: a list of <c>KEY=VALUE</c> (or plain names) as a
/// mapping, a single string as a one-item list. Nodes that fit neither are returned unchanged for the binder to report.
/// </summary>
internal static class NodeForms
{
    /// <summary>
    /// A list such as <c>["A=1", "B"]</c> (<paramref name="separators"/> split key from value; an item without one maps to
    /// null) as the mapping <c>{A: "1", B: null}</c>; a mapping as it is.
    /// </summary>
    public static ComposeNode ToMapping(ComposeNode node, params char[] separators)
    {
        if (node is not SequenceNode sequence || !sequence.Items.All(i => i is ScalarNode))
        {
            return node;
        }

        var entries = ImmutableArray.CreateBuilder<MappingEntry>();
        foreach (ScalarNode item in sequence.Items)
        {
            var at = separators.Length == 0 ? -1 : item.Value.IndexOfAny(separators);
            var key = new ScalarNode(item.Mark, at < 0 ? item.Value : item.Value[..at], Plain: false);
            ComposeNode value = at < 0
                ? ScalarNode.Null(item.Mark)
                : new ScalarNode(item.Mark with { Column = item.Mark.Column + at + 1 }, item.Value[(at + 1)..], Plain: false);
            var existing = entries.FindIndex(e => e.Key.Value == key.Value);
            if (existing >= 0)
            {
                entries[existing] = new MappingEntry(key, value);
            }
            else
            {
                entries.Add(new MappingEntry(key, value));
            }
        }

        return new MappingNode(sequence.Mark, entries.ToImmutable()) { Tag = sequence.Tag };
    }

    /// <summary>A single scalar as a one-item list; a null as an empty list; a list as it is.</summary>
    public static ComposeNode ToSequence(ComposeNode node) => node switch
    {
        ScalarNode { IsNull: true } => new SequenceNode(node.Mark, []) { Tag = node.Tag },
        ScalarNode scalar => new SequenceNode(node.Mark, [scalar]) { Tag = node.Tag },
        _ => node,
    };

    private static int FindIndex(this ImmutableArray<MappingEntry>.Builder entries, Func<MappingEntry, bool> match)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (match(entries[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
