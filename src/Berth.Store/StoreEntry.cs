namespace Berth.Store;

/// <summary>A key, its value, and its revisions (etcd's mod_revision, create_revision, version).</summary>
public sealed record StoreEntry(string Key, ReadOnlyMemory<byte> Value, long CreateRevision, long ModRevision, long Version);
