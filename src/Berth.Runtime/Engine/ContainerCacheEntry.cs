namespace Berth.Runtime.Engine;

/// <summary>A cached container record and the mod revision it was read or written at (what its next write compares).</summary>
internal sealed record ContainerCacheEntry(ContainerRecord Record, long ModRevision);
