using Berth.Core.Errors;

namespace Berth.Store;

/// <summary>
/// A watch cannot continue without missing changes. The owner must list the keys again and watch
/// from the revision of that listing (etcd's ErrCompacted, Kubernetes' "410 Gone").
/// </summary>
public sealed class StoreWatchLostException : BerthException
{
    public StoreWatchLostException(StoreWatchLostReason reason, string message)
        : base(ErrorKind.Conflict, message)
    {
        Reason = reason;
    }

    public StoreWatchLostReason Reason { get; }
}
