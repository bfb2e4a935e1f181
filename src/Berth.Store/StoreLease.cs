namespace Berth.Store;

/// <summary>A granted lease: its id (for puts and keep-alives) and the time to live the store granted.</summary>
public sealed record StoreLease(long Id, TimeSpan Ttl);
