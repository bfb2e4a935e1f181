using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
using Berth.Core.Errors;
using Berth.Store;

namespace Berth.Cluster.Swarm;

/// <summary>
/// <c>swarm join</c> on the joining node (pin the CA, send a certificate request, write the answer, start the member
/// and promote it), and <see cref="AdmitAsync"/>, the manager's side behind the join service.
/// </summary>
public sealed partial class SwarmNode
{
    /// <summary>How long a new manager's learner may take to catch up before the join counts as failed.</summary>
    private static readonly TimeSpan PromoteTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PromoteRetry = TimeSpan.FromMilliseconds(300);

    /// <summary>etcd's health interval (5 s) and some: how long a membership change waits for the cluster to count as healthy.</summary>
    private static readonly TimeSpan MemberChangeTimeout = TimeSpan.FromSeconds(8);

    public async Task<ClusterRole> JoinAsync(SwarmJoinOptions options, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state is not null)
            {
                throw SwarmErrors.Exists();
            }

            JoinToken token = JoinToken.Parse(options.Token);
            if (options.RemoteAddresses.IsDefaultOrEmpty)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "at least 1 RemoteAddr is required to join");
            }

            string manager = options.RemoteAddresses[0];
            IPAddress advertise = string.IsNullOrWhiteSpace(options.AdvertiseAddress) && IsUnspecified(options.ListenAddress)
                ? RouteTowards(manager)
                : AdvertiseAddress.Resolve(options.AdvertiseAddress, options.ListenAddress);
            using ECDsa key = NodeKeys.Create();
            var request = new JoinRequest
            {
                Token = token.ToString(),
                SigningRequest = NodeKeys.CreateSigningRequestPem(key),
                Host = host,
                AdvertiseAddress = advertise.ToString(),
                DataPathAddress = options.DataPathAddress,
                Availability = options.Availability,
                ClusterStoreId = await ExternalStoreIdAsync(cancellationToken).ConfigureAwait(false),
            };
            JoinAnswer answer = await JoinClient.JoinAsync(manager, token, request, cancellationToken).ConfigureAwait(false);

            var state = new LocalSwarmState
            {
                Node = answer.Node,
                Cluster = answer.Cluster,
                Role = answer.Role,
                AdvertiseAddress = advertise.ToString(),
                ListenAddress = options.ListenAddress,
                DataPathAddress = options.DataPathAddress,
                // A new manager's own member is a learner until promoted: the others answer first.
                EtcdEndpoints = RunsMember(answer.Role) ? [.. answer.EtcdEndpoints, EtcdClusterBackend.ClientUrl(advertise.ToString())] : answer.EtcdEndpoints,
                EtcdInitialCluster = answer.EtcdInitialCluster,
                EtcdJoinExisting = true,
                ClusterStoreId = request.ClusterStoreId,
            };

            Session? session = null;
            try
            {
                using (var signed = X509Certificate2.CreateFromPem(answer.Certificate))
                using (var certificate = signed.CopyWithPrivateKey(key))
                {
                    SwarmStateFile.SaveIdentity(paths, answer.CaCertificate, CertificatePem.Export(certificate));
                }

                SwarmStateFile.SaveCaKeySecret(paths, answer.CaKeySecret is { } secret ? Convert.FromBase64String(secret) : null);

                session = await OpenSessionAsync(state, cancellationToken).ConfigureAwait(false);
                if (RunsMember(state.Role))
                {
                    await PromoteSelfAsync(session.Connection, state, PromoteTimeout, cancellationToken).ConfigureAwait(false);
                }

                SwarmStateFile.Save(paths, state);
            }
            catch (Exception e) when (e is BerthException or OperationCanceledException or CryptographicException or IOException)
            {
                if (session is not null)
                {
                    await session.DisposeAsync().ConfigureAwait(false);
                }

                if (RunsMember(state.Role))
                {
                    await RemoveLearnerAsync(answer, state, cancellationToken).ConfigureAwait(false);
                }

                SwarmStateFile.Delete(paths);
                throw;
            }

            _state = state;
            SetSession(session);
            _error = "";
            SwarmLog.Joined(logger, state.Cluster.Value, state.Role.ToString(), state.Node.Value, manager);
            return state.Role;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The manager's side of a join: the token decides the role; the request is signed; the node record written;
    /// for a manager an etcd learner added first (and taken out again if anything after it fails).
    /// </summary>
    internal async Task<JoinAnswer> AdmitAsync(JoinRequest request, CancellationToken cancellationToken)
    {
        var (state, session) = Manager();
        try
        {
            var (cluster, ca) = await LoadCaAsync(session, state, cancellationToken).ConfigureAwait(false);
            var tokens = new ClusterJoinTokens(JoinToken.Parse(cluster.WorkerToken), JoinToken.Parse(cluster.ManagerToken));
            ClusterRole role;
            IPAddress? address;
            var node = NodeId.New();
            DateTimeOffset now = time.GetUtcNow();
            string certificatePem;
            using (ca)
            {
                role = tokens.Admit(JoinToken.Parse(request.Token));
                CheckJoinerStore(cluster, request);
                if (!IPAddress.TryParse(request.AdvertiseAddress, out address))
                {
                    throw new BerthException(ErrorKind.InvalidArgument, $"the joining node's advertise address \"{request.AdvertiseAddress}\" is not an IP address");
                }

                using var certificate = ca.Sign(request.SigningRequest, node, role, address, cluster.Spec.NodeCertExpiry, now);
                certificatePem = certificate.ExportCertificatePem();
            }

            var record = new NodeRecord
            {
                Id = node,
                CreatedAt = now,
                UpdatedAt = now,
                Role = role,
                Availability = request.Availability,
                Host = request.Host,
                Address = address.ToString(),
                EtcdClientUrl = RunsMember(role) ? EtcdClusterBackend.ClientUrl(address.ToString()) : null,
                EtcdPeerUrl = RunsMember(role) ? EtcdClusterBackend.PeerUrl(address.ToString()) : null,
            };

            EtcdMemberInfo? learner = null;
            IReadOnlyList<EtcdMemberInfo> members = External is null ? await session.Connection.Members.ListAsync(cancellationToken).ConfigureAwait(false) : [];
            if (RunsMember(role))
            {
                learner = await AddLearnerAsync(session.Connection.Members, record.EtcdPeerUrl!, cancellationToken).ConfigureAwait(false);
                members = [.. members, learner];
            }

            try
            {
                if (External is null)
                {
                    await WriteAsync(async () =>
                    {
                        await session.Connection.Members.AllowAsync(node, role, cancellationToken).ConfigureAwait(false);
                        return true;
                    }).ConfigureAwait(false);
                }

                await WriteAsync(() => session.Store.TransactAsync(new StoreTransaction
                {
                    Compares = [new StoreCompare(ClusterKeys.Node(node), 0)],
                    Success = [StoreOperation.Put(ClusterKeys.Node(node), SwarmRecords.Bytes(record))],
                }, cancellationToken)).ConfigureAwait(false);
            }
            catch (BerthException) when (learner is not null)
            {
                await session.Connection.Members.RemoveAsync(learner.Id, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            SwarmLog.Admitted(logger, role.ToString(), node.Value, request.Host.Hostname, record.Address);
            return new JoinAnswer
            {
                Node = node,
                Cluster = state.Cluster,
                Role = role,
                Certificate = certificatePem,
                CaCertificate = RootRotationPlan.TrustBundle(cluster),
                EtcdEndpoints = [.. members.Where(m => !m.IsLearner).SelectMany(m => m.ClientUrls).Distinct()],
                EtcdInitialCluster = RunsMember(role) ? InitialCluster(members, node, record.EtcdPeerUrl!) : [],
                CaKeySecret = role == ClusterRole.Manager ? Convert.ToBase64String(SwarmStateFile.LoadCaKeySecret(paths)) : null,
            };
        }
        catch (BerthException e)
        {
            SwarmLog.JoinRefused(logger, e.Message);
            throw;
        }
    }

    /// <summary>
    /// etcd (3.4, strict reconfiguration checks) refuses a member change as "unhealthy cluster" until every voting
    /// member has been connected for its health interval (5 s): right after another manager joined, or restarted.
    /// </summary>
    private static async Task<EtcdMemberInfo> AddLearnerAsync(IEtcdCluster members, Uri peerUrl, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await members.AddLearnerAsync(peerUrl, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.Unavailable && clock.Elapsed < MemberChangeTimeout)
            {
                await Task.Delay(PromoteRetry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A learner votes only once it has caught up; etcd refuses the promotion until then. A join gives up after
    /// <paramref name="timeout"/> (and takes its learner out again); a promoted node already on disk as a manager keeps
    /// trying (<see cref="Timeout.InfiniteTimeSpan"/>), or it would stay a learner that never votes.
    /// </summary>
    private async Task PromoteSelfAsync(IClusterConnection connection, LocalSwarmState state, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Uri peer = EtcdClusterBackend.PeerUrl(state.AdvertiseAddress);
        while (true)
        {
            try
            {
                var self = (await connection.Members.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(m => m.PeerUrls.Contains(peer))
                    ?? throw new BerthException(ErrorKind.Internal, $"this node's etcd member ({peer}) is not in the cluster's member list");
                if (!self.IsLearner)
                {
                    SwarmLog.Promoted(logger, state.Node.Value, clock.ElapsedMilliseconds);
                    return;
                }

                await connection.Members.PromoteAsync(self.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind is ErrorKind.Conflict or ErrorKind.Unavailable && (timeout == Timeout.InfiniteTimeSpan || clock.Elapsed < timeout))
            {
                await Task.Delay(PromoteRetry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A manager's join that failed after the learner was added: the learner goes again (else it counts towards nothing but clutters the membership).</summary>
    private async Task RemoveLearnerAsync(JoinAnswer answer, LocalSwarmState state, CancellationToken cancellationToken)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(paths.CertificateFile, paths.KeyFile);
            X509Certificate2Collection ca = CaBundle.Load(answer.CaCertificate);
            using var members = new EtcdMembership(answer.EtcdEndpoints, certificate, ca);
            Uri peer = EtcdClusterBackend.PeerUrl(state.AdvertiseAddress);
            if ((await members.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(m => m.PeerUrls.Contains(peer)) is { } self)
            {
                await members.RemoveAsync(self.Id, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is BerthException or CryptographicException or IOException)
        {
            SwarmLog.UndoFailed(logger, $"remove the etcd learner of {state.Node}", e);
        }
    }

    private static bool IsUnspecified(string listen) =>
        string.IsNullOrWhiteSpace(listen) || listen.StartsWith("0.0.0.0", StringComparison.Ordinal) || listen.StartsWith("[::]", StringComparison.Ordinal);

    /// <summary>The local address the kernel would use towards the manager (a UDP "connect" sends nothing), as moby takes the join connection's.</summary>
    private static IPAddress RouteTowards(string manager)
    {
        Uri uri = JoinClient.ManagerUri(manager);
        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? remote))
        {
            return AdvertiseAddress.Resolve("", "");
        }

        using var probe = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            probe.Connect(remote, uri.Port);
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException e)
        {
            throw new BerthException(ErrorKind.Unavailable, $"no route to the manager at {manager} ({e.SocketErrorCode}); check the address, or give --advertise-addr", e);
        }
    }
}
