using System.Collections.Immutable;

namespace Berth.Compose.Loading;

/// <summary>A mapping with string keys, in file order.</summary>
internal sealed record MappingNode(SourceMark Mark, ImmutableArray<MappingEntry> Entries) : ComposeNode(Mark)
{
    public override string Kind => "a mapping";

    public ComposeNode? this[string key] => Find(key)?.Value;

    public MappingEntry? Find(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Value == key)
            {
                return entry;
            }
        }

        return null;
    }
}
