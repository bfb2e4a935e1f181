namespace Berth.Store;

/// <summary>Why a watch could not deliver every change.</summary>
public enum StoreWatchLostReason
{
    /// <summary>The requested revision is older than the changes the store still keeps.</summary>
    Compacted,

    /// <summary>The watcher read too slowly; its buffer filled and it was ended so writers never wait.</summary>
    Overflow,

    /// <summary>The store could not be reached to continue the watch within its deadline (etcd down or without quorum).</summary>
    Disconnected,
}
