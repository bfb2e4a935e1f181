namespace Berth.Store;

/// <summary>A change seen by a watch: a put (with the new entry) or a delete.</summary>
public sealed record StoreEvent(StoreEventKind Kind, string Key, StoreEntry? Entry, long Revision);

public enum StoreEventKind
{
    Put,
    Delete,
}
