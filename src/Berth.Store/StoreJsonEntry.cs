namespace Berth.Store;

/// <summary>A JSON value read from the store, with the revision to pass to a compare-and-swap.</summary>
public sealed record StoreJsonEntry<T>(string Key, T Value, long CreateRevision, long ModRevision, long Version);
