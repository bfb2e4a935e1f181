using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
using Berth.Core.Errors;
using Berth.Store;

namespace Berth.Cluster.Swarm;

/// <summary>
/// <c>swarm ca --rotate</c> (rules in <see cref="RootRotationPlan"/>). <c>swarm update</c> writes the new root into the
/// cluster record (its key sealed beside the CA key); then every node, at each look at the cluster (every 1.5 s), makes
/// its files follow the record: it trusts the bundle of both roots (a manager restarts its etcd member with it, one
/// manager at a time), then, once certificates come from the new root, asks for one, and at the end trusts the new root
/// alone. Managers move the rotation on when every node's heartbeat reports that it has caught up.
/// </summary>
public sealed partial class SwarmNode
{
    /// <summary>A manager's turn to restart its member lapses with this lease if its berthd dies meanwhile.</summary>
    private static readonly TimeSpan RestartTurnTtl = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RestartTurnRetry = TimeSpan.FromSeconds(1);

    /// <summary>How long a restarted member may take to see a leader again before the next manager gets its turn anyway.</summary>
    private static readonly TimeSpan MemberHealthyTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long a request waits for a session being opened again (an etcd member's start is allowed 20 s).</summary>
    private static readonly TimeSpan ReopenWait = TimeSpan.FromSeconds(25);

    private NodeTlsReport? _tlsReport;
    private int _rotationStep;
    private TaskCompletionSource? _reopening;

    /// <summary>How often a read that met a closed session is tried (<see cref="ReadAsManagerAsync"/>), and the pause before each retry.</summary>
    private const int ReadAttempts = 3;

    private static readonly TimeSpan ReadRetryPause = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// <see cref="Manager"/> for requests: while the session is being opened again (new trust), a request waits for it
    /// rather than fail; <c>swarm ca --rotate</c> polls throughout and gives up at its first error.
    /// </summary>
    private async Task<(LocalSwarmState State, Session Session)> ManagerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _reopening) is { } reopening)
        {
            try
            {
                await reopening.Task.WaitAsync(ReopenWait, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Still not back: answer as the node stands (Docker's 503).
            }
        }

        return Manager();
    }

    /// <summary>
    /// A read as a manager that a reopen of the session cannot fail: one that found the session just before a root
    /// rotation (or a role change) closed it meets a disposed store; it is read again from the next session, which
    /// <see cref="ManagerAsync"/> waits for. Reads only: a write is never repeated.
    /// </summary>
    private async Task<T> ReadAsManagerAsync<T>(Func<Session, Task<T>> read, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            var (_, session) = await ManagerAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await read(session).ConfigureAwait(false);
            }
            catch (ObjectDisposedException) when (attempt < ReadAttempts && !ReferenceEquals(Volatile.Read(ref _session), session))
            {
                // Closed under this read: the next session answers it.
                await Task.Delay(ReadRetryPause, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The TLS this node reports (Docker's node <c>Description.TLSInfo</c>), read from its files.</summary>
    private void RefreshTlsReport()
    {
        try
        {
            Volatile.Write(ref _tlsReport, NodeTlsReport.Of(File.ReadAllText(paths.CaFile), File.ReadAllText(paths.CertificateFile)));
        }
        catch (Exception e) when (e is IOException or CryptographicException or BerthException)
        {
            RotationLog.StepFailed(logger, e);
        }
    }

    /// <summary>
    /// <c>swarm update</c>'s part: when the update asks for a new root (<see cref="RootRotationPlan.Requested"/>), the
    /// record carries the rotation and the new root's key goes into the store sealed, in the same transaction.
    /// </summary>
    private (ClusterRecord Record, StoreOperation? RotationKey) WithRootRotation(ClusterRecord current, ClusterRecord next, SwarmUpdate update)
    {
        DateTimeOffset now = time.GetUtcNow();
        using ClusterCa? root = RootRotationPlan.Requested(current, update, now);
        if (root is null)
        {
            return (next, null);
        }

        string sealedKey = CaKeySeal.Seal(root.Export().Key, SwarmStateFile.LoadCaKeySecret(paths));
        RotationLog.Started(logger, root.Digest.ToString());
        return (RootRotationPlan.Begin(next, root.CertificatePem, now), StoreOperation.Put(ClusterKeys.RotationCaKey, Encoding.UTF8.GetBytes(sealedKey)));
    }

    /// <summary>From the liveness loop: a manager moves a rotation on; every node makes its own files follow the record.</summary>
    private async Task LookAtRotationAsync(IClusterConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await FollowRotationAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // A store in trouble (a gRPC call cut, no quorum for a moment): the next look tries again.
            RotationLog.StepFailed(logger, e);
        }
    }

    private async Task FollowRotationAsync(IClusterConnection connection, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state) is not { } state
            || await connection.Store.GetAsync(ClusterKeys.Cluster, cancellationToken).ConfigureAwait(false) is not { } entry)
        {
            return;
        }

        ClusterRecord cluster = SwarmRecords.Cluster(entry.Value);
        if (state.Role == ClusterRole.Manager && cluster.RootRotation is not null)
        {
            await AdvanceRotationAsync(connection, cluster, entry.ModRevision, cancellationToken).ConfigureAwait(false);
        }

        if (Volatile.Read(ref _tlsReport) is not { } own)
        {
            return;
        }

        string wanted = RootRotationPlan.TrustBundle(cluster);
        if (!CaBundle.Split(own.TrustRoot).SequenceEqual(CaBundle.Split(wanted)))
        {
            StartRotationStep(stepCancellation => RetrustAsync(wanted, stepCancellation));
        }
        else if (RootRotationPlan.NeedsCertificate(cluster, own))
        {
            StartRotationStep(RenewForRotationAsync);
        }
    }

    /// <summary>Runs one step in the background, never two at once (the loop looks again in 1.5 s and starts what is still wanted).</summary>
    private void StartRotationStep(Func<CancellationToken, Task> step)
    {
        if (Interlocked.CompareExchange(ref _rotationStep, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await step(_disposing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BerthException or OperationCanceledException or IOException or CryptographicException or ObjectDisposedException)
            {
                RotationLog.StepFailed(logger, e);
            }
            finally
            {
                Volatile.Write(ref _rotationStep, 0);
            }
        });
    }

    /// <summary>A manager's part: the next phase once every node (a Down one included: it is waited for) reports it has caught up.</summary>
    private async Task AdvanceRotationAsync(IClusterConnection connection, ClusterRecord cluster, long revision, CancellationToken cancellationToken)
    {
        var nodes = (await connection.Store.ListAsync(ClusterKeys.Nodes, cancellationToken).ConfigureAwait(false))
            .Select(entry => SwarmRecords.Node(entry.Value).Id).ToList();
        var reports = new Dictionary<NodeId, NodeTlsReport>();
        foreach (StoreEntry heartbeat in await connection.Store.ListAsync(ClusterKeys.Heartbeats, cancellationToken).ConfigureAwait(false))
        {
            if (NodeId.TryParse(heartbeat.Key[ClusterKeys.Heartbeats.Length..], out NodeId node) && SwarmRecords.Heartbeat(heartbeat.Value)?.Tls is { } tls)
            {
                reports[node] = tls;
            }
        }

        DateTimeOffset now = time.GetUtcNow();
        string digest = CaDigest.Of(cluster.RootRotation!.NewCaCertificate).ToString();
        switch (RootRotationPlan.Next(cluster, nodes, reports))
        {
            case RootRotationStep.IssueFromNewRoot:
                if ((await connection.Store.TransactAsync(new StoreTransaction
                    {
                        Compares = [new StoreCompare(ClusterKeys.Cluster, revision)],
                        Success = [StoreOperation.Put(ClusterKeys.Cluster, SwarmRecords.Bytes(RootRotationPlan.IssueFromNewRoot(cluster, now)))],
                    }, cancellationToken).ConfigureAwait(false)).Succeeded)
                {
                    RotationLog.IssuingFromNewRoot(logger, digest);
                }

                break;
            case RootRotationStep.Finish:
                var newKey = await connection.Store.GetAsync(ClusterKeys.RotationCaKey, cancellationToken).ConfigureAwait(false)
                    ?? throw new BerthException(ErrorKind.Internal, $"the new root's key ({ClusterKeys.RotationCaKey}) is missing from the cluster store; rotate again with docker swarm ca --rotate");
                if ((await connection.Store.TransactAsync(new StoreTransaction
                    {
                        Compares = [new StoreCompare(ClusterKeys.Cluster, revision)],
                        Success =
                        [
                            StoreOperation.Put(ClusterKeys.Cluster, SwarmRecords.Bytes(RootRotationPlan.Finish(cluster, now))),
                            StoreOperation.Put(ClusterKeys.CaKey, newKey.Value),
                            StoreOperation.Delete(ClusterKeys.RotationCaKey),
                        ],
                    }, cancellationToken).ConfigureAwait(false)).Succeeded)
                {
                    RotationLog.Finished(logger, digest);
                }

                break;
        }
    }

    /// <summary>The node trusts <paramref name="bundle"/> from now on.</summary>
    private Task RetrustAsync(string bundle, CancellationToken cancellationToken) =>
        ReopenAsync((_, _, _) =>
        {
            SwarmStateFile.SaveTrust(paths, bundle);
            return Task.FromResult(true);
        }, cancellationToken);

    /// <summary>
    /// A certificate of the new root: a manager signs its own (it holds the CA key), a worker asks a manager over
    /// <c>/renew</c> (authenticated by its current certificate, which the manager trusts during the rotation). The
    /// session is opened again with it before the node reports it, so once the rotation ends (and members drop the old
    /// root) no client of this node still shows a certificate of the old one.
    /// </summary>
    private Task RenewForRotationAsync(CancellationToken cancellationToken) =>
        ReopenAsync(async (state, session, stepCancellation) =>
        {
            if (Volatile.Read(ref _tlsReport) is not { } own
                || await IssueOwnCertificateAsync(state, session, cluster => RootRotationPlan.NeedsCertificate(cluster, own), stepCancellation).ConfigureAwait(false) is null)
            {
                return false;
            }

            RotationLog.Renewed(logger, state.Node.Value);
            return true;
        }, cancellationToken);

    /// <summary>
    /// <paramref name="change"/> (which writes the node's TLS files, or answers false for nothing to do) and the session
    /// opened again, so everything that read those files reads them again: the etcd member (it reads its trusted CA
    /// file only at its start), the store client, the join service, the health checks. A manager does so in its turn:
    /// two members down at once could cost the quorum. Requests meanwhile wait for the new session (<see cref="ManagerAsync"/>).
    /// </summary>
    private async Task ReopenAsync(Func<LocalSwarmState, Session, CancellationToken, Task<bool>> change, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state) is not { } state)
        {
            return;
        }

        // Only a manager's own etcd member needs a turn (none runs with --cluster-store).
        bool restartsMember = state.Role == ClusterRole.Manager && External is null;
        long turn = restartsMember ? await TakeRestartTurnAsync(state, cancellationToken).ConfigureAwait(false) : 0;
        var clock = Stopwatch.StartNew();
        try
        {
            IClusterConnection connection;
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_state is not { } current || _session is not { } session || current.Role != state.Role || cancellationToken.IsCancellationRequested
                    || !await change(current, session, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var reopening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _reopening, reopening);
                try
                {
                    SetSession(null);
                    await session.DisposeAsync().ConfigureAwait(false);
                    SetSession(await OpenSessionAsync(current, cancellationToken).ConfigureAwait(false));
                }
                catch (BerthException)
                {
                    _resume = ResumeAsync(_disposing.Token);
                    throw;
                }
                finally
                {
                    Volatile.Write(ref _reopening, null);
                    reopening.SetResult();
                }

                connection = _session.Connection;
            }
            finally
            {
                _gate.Release();
            }

            if (restartsMember)
            {
                await WaitMemberHealthyAsync(connection, state, cancellationToken).ConfigureAwait(false);
            }

            RotationLog.Reopened(logger, state.Node.Value, Volatile.Read(ref _tlsReport) is { } tls ? CaBundle.Split(tls.TrustRoot).Length : 0, clock.ElapsedMilliseconds);
        }
        finally
        {
            if (turn != 0)
            {
                await ReleaseRestartTurnAsync(turn).ConfigureAwait(false);
            }
        }
    }

    /// <summary><c>swarm/rotation-restart</c>, created only if absent on a lease of its own: one manager restarts its member at a time.</summary>
    private async Task<long> TakeRestartTurnAsync(LocalSwarmState state, CancellationToken cancellationToken)
    {
        bool told = false;
        while (true)
        {
            IClusterConnection connection = (Volatile.Read(ref _session) ?? throw new BerthException(ErrorKind.Unavailable, "this node is not connected to the swarm")).Connection;
            StoreLease lease = await connection.Leases.GrantLeaseAsync(RestartTurnTtl, cancellationToken).ConfigureAwait(false);
            var taken = await connection.Store.TransactAsync(new StoreTransaction
            {
                Compares = [new StoreCompare(ClusterKeys.RotationRestart, 0)],
                Success = [StoreOperation.Put(ClusterKeys.RotationRestart, Encoding.UTF8.GetBytes(state.Node.Value), lease.Id)],
            }, cancellationToken).ConfigureAwait(false);
            if (taken.Succeeded)
            {
                return lease.Id;
            }

            await connection.Leases.RevokeLeaseAsync(lease.Id, cancellationToken).ConfigureAwait(false);
            if (!told)
            {
                RotationLog.WaitingForRestartTurn(logger, state.Node.Value);
                told = true;
            }

            await Task.Delay(RestartTurnRetry, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Revoking the turn's lease removes the key; when that cannot be done now, the lease lapses on its own.</summary>
    private async Task ReleaseRestartTurnAsync(long lease)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < MemberHealthyTimeout && Volatile.Read(ref _session) is { } session)
        {
            try
            {
                await session.Connection.Leases.RevokeLeaseAsync(lease, _disposing.Token).ConfigureAwait(false);
                return;
            }
            catch (BerthException e) when (e.Kind is ErrorKind.Unavailable or ErrorKind.NotFound)
            {
                if (e.Kind == ErrorKind.NotFound)
                {
                    return;
                }

                await Task.Delay(RestartTurnRetry, _disposing.Token).ConfigureAwait(false);
            }
        }
    }

    private static async Task WaitMemberHealthyAsync(IClusterConnection connection, LocalSwarmState state, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Uri own = EtcdClusterBackend.ClientUrl(state.AdvertiseAddress);
        while (clock.Elapsed < MemberHealthyTimeout && !await connection.MemberHealthyAsync(own, cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(RestartTurnRetry, cancellationToken).ConfigureAwait(false);
        }
    }
}
