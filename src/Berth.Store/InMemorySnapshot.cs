using System.Collections.Immutable;

namespace Berth.Store;

/// <summary>The whole in-memory store at one revision; replaced whole by each write.</summary>
internal sealed record InMemorySnapshot(long Revision, ImmutableSortedDictionary<string, StoreEntry> Entries)
{
    public static InMemorySnapshot Empty { get; } = new(0, ImmutableSortedDictionary.Create<string, StoreEntry>(StringComparer.Ordinal));
}
