using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
using Berth.Core.Errors;
using Berth.Store;

namespace Berth.Cluster.Swarm;

/// <summary>
/// <c>node promote/demote</c>. A manager changes the node's record; the node sees its record name another role
/// (<see cref="SwarmLiveness"/>) and reacts: a certificate of the new role from a manager's join service (<c>/renew</c>,
/// authenticated by its current certificate), then for a promotion an etcd member started into the cluster (a
/// learner, promoted when caught up), for a demotion its member taken out of etcd, stopped and its data removed.
/// </summary>
public sealed partial class SwarmNode
{
    private int _changingRole;

    /// <summary>From the liveness loop: starts the change once (a change under way is not started twice).</summary>
    private void RoleChanged(ClusterRole wanted)
    {
        if (Interlocked.CompareExchange(ref _changingRole, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await ChangeRoleAsync(wanted, _disposing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BerthException or OperationCanceledException or IOException or CryptographicException)
            {
                _error = e.Message;
                SwarmLog.RoleChangeFailed(logger, wanted.ToString(), e);
            }
            finally
            {
                Volatile.Write(ref _changingRole, 0);
            }
        });
    }

    private async Task ChangeRoleAsync(ClusterRole wanted, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state is not { } state || _session is not { } session || state.Role == wanted)
            {
                return;
            }

            using ECDsa key = NodeKeys.Create();
            var request = new RenewRequest { SigningRequest = NodeKeys.CreateSigningRequestPem(key), AdvertiseAddress = state.AdvertiseAddress };
            JoinAnswer answer = await RenewFromAnyManagerAsync(await ManagersToAskAsync(state, session, cancellationToken).ConfigureAwait(false), request, cancellationToken).ConfigureAwait(false);
            if (answer.Role != wanted)
            {
                return; // changed back meanwhile: the next look decides again
            }

            SetSession(null);
            await session.DisposeAsync().ConfigureAwait(false);
            if (wanted == ClusterRole.Worker)
            {
                DeleteEtcdData();
            }

            Uri own = EtcdClusterBackend.ClientUrl(state.AdvertiseAddress);
            var next = state with
            {
                Role = wanted,
                EtcdEndpoints = RunsMember(wanted) ? [.. answer.EtcdEndpoints.Where(url => url != own), own] : [.. answer.EtcdEndpoints.Where(url => url != own)],
                EtcdInitialCluster = answer.EtcdInitialCluster,
                EtcdJoinExisting = true,
            };
            using (var signed = X509Certificate2.CreateFromPem(answer.Certificate))
            using (var certificate = signed.CopyWithPrivateKey(key))
            {
                SwarmStateFile.SaveIdentity(paths, answer.CaCertificate, CertificatePem.Export(certificate));
            }

            SwarmStateFile.SaveCaKeySecret(paths, answer.CaKeySecret is { } secret ? Convert.FromBase64String(secret) : null);
            SwarmStateFile.Save(paths, next);
            _state = next;
            try
            {
                SetSession(await OpenSessionAsync(next, cancellationToken).ConfigureAwait(false));
                if (RunsMember(wanted))
                {
                    // Outside the gate and without a deadline: etcd promotes a learner only once it has caught up,
                    // which on a loaded node can take longer than a join may wait; a learner left so would never vote.
                    _ = PromoteUntilVotingAsync(_session.Connection, next, _disposing.Token);
                }
            }
            catch (BerthException)
            {
                // The new role is on disk: connect in the background as after a restart.
                _resume = ResumeAsync(_disposing.Token);
                throw;
            }

            SwarmLog.RoleChanged(logger, state.Node.Value, wanted.ToString());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The manager's side of <c>/renew</c>: who asks is its certificate; what it gets is what its record says.</summary>
    internal async Task<JoinAnswer> RenewAsync(RenewRequest request, X509Certificate2? clientCertificate, CancellationToken cancellationToken)
    {
        var (state, session) = Manager();
        if (clientCertificate is null)
        {
            throw new BerthException(ErrorKind.Forbidden, "a certificate renewal must present the node's current certificate");
        }

        var (cluster, ca) = await LoadCaAsync(session, state, cancellationToken).ConfigureAwait(false);
        using (ca)
        {
            DateTimeOffset now = time.GetUtcNow();
            NodeIdentity presented = VerifyNode(cluster, clientCertificate, now);
            NodeId node = presented.Node;
            var entry = await session.Store.GetAsync(ClusterKeys.Node(node), cancellationToken).ConfigureAwait(false)
                ?? throw new BerthException(ErrorKind.Forbidden, $"node {node} is not part of the swarm any more (removed with docker node rm?)");
            NodeRecord record = SwarmRecords.Node(entry.Value);
            if (!IPAddress.TryParse(request.AdvertiseAddress, out IPAddress? address))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"node {node}: advertise address \"{request.AdvertiseAddress}\" is not an IP address");
            }

            string certificate;
            using (var signed = ca.Sign(request.SigningRequest, node, record.Role, address, cluster.Spec.NodeCertExpiry, now))
            {
                certificate = signed.ExportCertificatePem();
            }

            IReadOnlyList<EtcdMemberInfo> members = External is null ? await session.Connection.Members.ListAsync(cancellationToken).ConfigureAwait(false) : [];
            Uri peer = EtcdClusterBackend.PeerUrl(address.ToString());
            if (External is not null)
            {
                // No members and no etcd users to change: the node's new certificate is all a new role takes.
            }
            else if (record.Role == ClusterRole.Manager && !members.Any(m => m.PeerUrls.Contains(peer)))
            {
                members = [.. members, await AddLearnerAsync(session.Connection.Members, peer, cancellationToken).ConfigureAwait(false)];
            }
            else if (record.Role == ClusterRole.Worker && members.FirstOrDefault(m => m.PeerUrls.Contains(peer)) is { } demoted)
            {
                // The manager takes the demoted node's member out (the node itself is no longer root once its user is a worker's).
                await RemoveMemberAsync(session.Connection.Members, demoted.Id, cancellationToken).ConfigureAwait(false);
                members = [.. members.Where(m => m.Id != demoted.Id)];
            }

            if (External is null && presented.Role != record.Role)
            {
                // Only for a role change: every change to etcd's auth store fails requests in flight ("revision of auth
                // store is old"), and a root rotation renews every node's certificate.
                await session.Connection.Members.AllowAsync(node, record.Role, cancellationToken).ConfigureAwait(false);
            }

            return new JoinAnswer
            {
                Node = node,
                Cluster = state.Cluster,
                Role = record.Role,
                Certificate = certificate,
                CaCertificate = RootRotationPlan.TrustBundle(cluster),
                EtcdEndpoints = [.. members.Where(m => !m.IsLearner).SelectMany(m => m.ClientUrls).Distinct()],
                EtcdInitialCluster = RunsMember(record.Role) ? InitialCluster(members, node, peer) : [],
                CaKeySecret = record.Role == ClusterRole.Manager ? Convert.ToBase64String(SwarmStateFile.LoadCaKeySecret(paths)) : null,
            };
        }
    }

    /// <summary><c>name=peer-url</c> of every member; the one at <paramref name="peer"/> (not started yet, so nameless) is <paramref name="node"/>.</summary>
    private static System.Collections.Immutable.ImmutableArray<string> InitialCluster(IReadOnlyList<EtcdMemberInfo> members, NodeId node, Uri peer) =>
        [.. members.Select(m => $"{(m.PeerUrls.Contains(peer) ? node.Value : m.Name)}={m.PeerUrls[0].GetLeftPart(UriPartial.Authority)}")];

    /// <summary>The cluster record and the CA that signs now (the new root once a rotation issues from it: <see cref="RootRotationPlan.SigningRoot"/>).</summary>
    private async Task<(ClusterRecord Cluster, ClusterCa Ca)> LoadCaAsync(Session session, LocalSwarmState state, CancellationToken cancellationToken)
    {
        var clusterEntry = await session.Store.GetAsync(ClusterKeys.Cluster, cancellationToken).ConfigureAwait(false)
            ?? throw new BerthException(ErrorKind.Unavailable, "the cluster record is missing from the cluster store");
        ClusterRecord cluster = SwarmRecords.Cluster(clusterEntry.Value);
        string signing = RootRotationPlan.SigningRoot(cluster);
        string keyName = signing == cluster.CaCertificate ? ClusterKeys.CaKey : ClusterKeys.RotationCaKey;
        var caKey = await session.Store.GetAsync(keyName, cancellationToken).ConfigureAwait(false)
            ?? throw new BerthException(ErrorKind.Unavailable, $"the CA key ({keyName}) is missing from the cluster store");
        string key = CaKeySeal.Open(System.Text.Encoding.UTF8.GetString(caKey.Value.Span), SwarmStateFile.LoadCaKeySecret(paths));
        return (cluster, ClusterCa.Load(state.Cluster, new CertificatePem(signing, key)));
    }

    /// <summary>Who presents <paramref name="certificate"/>: it must chain to a root the cluster trusts now (either, during a rotation).</summary>
    private static NodeIdentity VerifyNode(ClusterRecord cluster, X509Certificate2 certificate, DateTimeOffset now)
    {
        X509Certificate2Collection roots = CaBundle.Load(RootRotationPlan.TrustBundle(cluster));
        try
        {
            return ClusterCa.Verify(roots, cluster.Id, certificate, now);
        }
        finally
        {
            CaBundle.Dispose(roots);
        }
    }

    /// <summary>The join services a node asks for a certificate: its managers' (from their etcd members, or the records in a user's store).</summary>
    private async Task<IReadOnlyList<string>> ManagersToAskAsync(LocalSwarmState state, Session session, CancellationToken cancellationToken) => External is null
        ? [.. state.EtcdEndpoints.Select(endpoint => $"{endpoint.Host}:{JoinClient.DefaultPort}")]
        : await ManagerAddressesAsync(session.Store, state.Node, cancellationToken).ConfigureAwait(false);

    private async Task<JoinAnswer> RenewFromAnyManagerAsync(IReadOnlyList<string> managers, RenewRequest request, CancellationToken cancellationToken)
    {
        string caPem = await File.ReadAllTextAsync(paths.CaFile, cancellationToken).ConfigureAwait(false);
        using var certificate = X509Certificate2.CreateFromPemFile(paths.CertificateFile, paths.KeyFile);
        BerthException? last = null;
        foreach (string manager in managers)
        {
            try
            {
                return await JoinClient.RenewAsync(manager, caPem, certificate, request, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.Unavailable)
            {
                last = e;
            }
        }

        throw last ?? new BerthException(ErrorKind.Unavailable, "no manager known to ask for a certificate of the new role");
    }

    private void DeleteEtcdData()
    {
        if (Directory.Exists(paths.EtcdDirectory))
        {
            Directory.Delete(paths.EtcdDirectory, recursive: true);
        }

        File.Delete(paths.EtcdDirectory + ".log");
        File.Delete(paths.EtcdDirectory + ".pid");
    }

    private async Task PromoteUntilVotingAsync(IClusterConnection connection, LocalSwarmState state, CancellationToken cancellationToken)
    {
        try
        {
            await PromoteSelfAsync(connection, state, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BerthException or OperationCanceledException or ObjectDisposedException)
        {
            SwarmLog.RoleChangeFailed(logger, ClusterRole.Manager.ToString(), e);
        }
    }
}
