using Berth.Core.Errors;
using Etcdserverpb;

namespace Berth.Store;

/// <summary>Leases (<see cref="ILeaseStore"/>) on etcd's Lease service.</summary>
public sealed partial class EtcdStateStore
{
    /// <summary>
    /// How long one member may take to renew a lease before the next is asked: Berth's leases live 5 s and are renewed
    /// every 1.5 s, so a renewal stuck on a member cut off from the others (found with a manager partitioned: every
    /// other node's endpoint records lapsed) must move on well within the TTL.
    /// </summary>
    private static readonly TimeSpan KeepAliveAttempt = TimeSpan.FromSeconds(1.5);

    public Task<StoreLease> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        if (ttl < TimeSpan.FromSeconds(1))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"lease time to live {ttl.TotalSeconds:0.###} s is too short; etcd counts leases in whole seconds, give at least 1 s");
        }

        var seconds = (long)Math.Ceiling(ttl.TotalSeconds);
        return _connection.WriteAsync($"grant a lease of {seconds} s", async attempt =>
        {
            var response = await new Lease.LeaseClient(attempt.Invoker).LeaseGrantAsync(new LeaseGrantRequest { TTL = seconds }, attempt.Options).ConfigureAwait(false);
            Seen(response.Header);
            return new StoreLease(response.ID, TimeSpan.FromSeconds(response.TTL));
        }, Token(cancellationToken));
    }

    public Task<TimeSpan> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default)
    {
        // A keep-alive is idempotent (it only restarts the clock), so it may fail over like a read; and each member gets
        // only KeepAliveAttempt, so one that is cut off does not hold the renewal past the lease's TTL while others answer.
        return _connection.ReadAsync($"keep lease {leaseId} alive", KeepAliveAttempt, async attempt =>
        {
            using var call = new Lease.LeaseClient(attempt.Invoker).LeaseKeepAlive(attempt.Options);
            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = leaseId }, attempt.Options.CancellationToken).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(attempt.Options.CancellationToken).ConfigureAwait(false))
            {
                throw new BerthException(ErrorKind.Unavailable, $"etcd at {_connection.Endpoints} closed the keep-alive of lease {leaseId} without an answer; try again");
            }

            var response = call.ResponseStream.Current;
            Seen(response.Header);

            // etcd answers a keep-alive of an expired or revoked lease with TTL 0 (clientv3's ErrLeaseNotFound).
            return response.TTL > 0
                ? TimeSpan.FromSeconds(response.TTL)
                : throw new BerthException(ErrorKind.NotFound, $"lease {leaseId} has expired or was revoked; its keys are gone: grant a new lease and put them again");
        }, Token(cancellationToken));
    }

    public Task RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default)
    {
        return _connection.WriteAsync($"revoke lease {leaseId}", async attempt =>
        {
            try
            {
                var response = await new Lease.LeaseClient(attempt.Invoker).LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseId }, attempt.Options).ConfigureAwait(false);
                Seen(response.Header);
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
            {
                // Already expired or revoked: the goal, no keys under the lease, holds.
            }

            return true;
        }, Token(cancellationToken));
    }
}
