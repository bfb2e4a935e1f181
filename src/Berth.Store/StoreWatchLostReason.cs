namespace Berth.Store;

/// <summary>Why a watch could not deliver every change.</summary>
public enum StoreWatchLostReason
{
    /// <summary>The requested revision is older than the changes the store still keeps.</summary>
    Compacted,

    /// <summary>The watcher read too slowly; its buffer filled and it was ended so writers never wait.</summary>
    Overflow,
}
