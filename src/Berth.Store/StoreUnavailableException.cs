using Berth.Core.Errors;

namespace Berth.Store;

/// <summary>
/// The store could not serve a request: no member answered in time, or the one that did has no leader (a majority of
/// etcd's members down or cut off), so a write cannot commit. Callers that speak for a swarm turn it into Docker's
/// "no leader" error; others report it as it is (<see cref="ErrorKind.Unavailable"/>).
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? cause) : BerthException(ErrorKind.Unavailable, message, cause);
