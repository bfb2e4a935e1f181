using System.Diagnostics;
using System.Net;
using System.Text;
using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
using Berth.Store;

namespace Berth.Cluster.Swarm;

/// <summary><c>swarm init</c>: a CA, tokens, this node's certificate, a one-member etcd (none on an external store), the cluster and node records.</summary>
public sealed partial class SwarmNode
{
    public async Task<NodeId> InitAsync(SwarmInitOptions options, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state is { } current)
            {
                return options.ForceNewCluster
                    ? await ForceNewClusterLockedAsync(current, cancellationToken).ConfigureAwait(false)
                    : throw SwarmErrors.Exists();
            }

            CertificateValidity.CheckNodeExpiry(options.Spec.NodeCertExpiry);

            long lap = Stopwatch.GetTimestamp();
            IPAddress advertise = AdvertiseAddress.Resolve(options.AdvertiseAddress, options.ListenAddress);
            string? storeId = await ExternalStoreIdAsync(cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = time.GetUtcNow();
            var node = NodeId.New();
            var cluster = ClusterId.New();
            using var ca = ClusterCa.Create(cluster, now);
            var tokens = ClusterJoinTokens.Create(ca.Digest);
            using (var certificate = ca.Issue(node, ClusterRole.Manager, advertise, options.Spec.NodeCertExpiry, now))
            {
                SwarmStateFile.SaveIdentity(paths, ca.CertificatePem, CertificatePem.Export(certificate));
            }

            byte[] secret = CaKeySeal.NewSecret();
            SwarmStateFile.SaveCaKeySecret(paths, secret);
            lap = Lap("init", "identity", lap);

            var state = new LocalSwarmState
            {
                Node = node,
                Cluster = cluster,
                Role = ClusterRole.Manager,
                AdvertiseAddress = advertise.ToString(),
                ListenAddress = options.ListenAddress,
                DataPathAddress = options.DataPathAddress,
                EtcdEndpoints = External is null ? [EtcdClusterBackend.ClientUrl(advertise.ToString())] : [],
                ClusterStoreId = storeId,
            };
            var record = new ClusterRecord
            {
                Id = cluster,
                CreatedAt = now,
                UpdatedAt = now,
                Spec = options.Spec,
                CaCertificate = ca.CertificatePem,
                WorkerToken = tokens.Worker.ToString(),
                ManagerToken = tokens.Manager.ToString(),
                DefaultAddrPool = options.DefaultAddrPool.IsDefaultOrEmpty ? ClusterRecord.DefaultAddressPool : options.DefaultAddrPool,
                SubnetSize = options.SubnetSize > 0 ? options.SubnetSize : ClusterRecord.DefaultSubnetSize,
                DataPathPort = options.DataPathPort > 0 ? options.DataPathPort : ClusterRecord.DefaultDataPathPort,
                ClusterStoreId = storeId,
                ClusterStoreUrl = External?.Url,
            };

            Session? session = null;
            try
            {
                session = await OpenSessionAsync(state, cancellationToken).ConfigureAwait(false);
                lap = Lap("init", "session", lap);
                var self = NodeFor(state, options.Availability, now);
                var written = await session.Store.TransactAsync(new StoreTransaction
                {
                    Compares = [new StoreCompare(ClusterKeys.Cluster, 0)],
                    Success =
                    [
                        StoreOperation.Put(ClusterKeys.Cluster, SwarmRecords.Bytes(record)),
                        StoreOperation.Put(ClusterKeys.CaKey, Encoding.UTF8.GetBytes(CaKeySeal.Seal(ca.Export().Key, secret))),
                        StoreOperation.Put(ClusterKeys.Node(node), SwarmRecords.Bytes(self)),
                    ],
                }, cancellationToken).ConfigureAwait(false);
                if (!written.Succeeded)
                {
                    throw await StoreTakenAsync(session.Store, External?.Url, cancellationToken).ConfigureAwait(false);
                }

                session.Cluster = record;
                lap = Lap("init", "records", lap);

                // From now on etcd knows clients by their certificate: managers are root, workers get a role of their own.
                // An external etcd is not Berth's to lock: its operator decides who may write (docs/cluster.md).
                if (External is null)
                {
                    await session.Connection.Members.EnableAuthAsync(node, cancellationToken).ConfigureAwait(false);
                    lap = Lap("init", "auth", lap);
                }

                // Last: the state file is what makes this node a member after a restart.
                SwarmStateFile.Save(paths, state);
                Lap("init", "state file", lap);
            }
            catch
            {
                if (session is not null)
                {
                    await session.DisposeAsync().ConfigureAwait(false);
                }

                SwarmStateFile.Delete(paths);
                throw;
            }

            _state = state;
            SetSession(session);
            _error = "";
            SwarmLog.Initialised(logger, node.Value, cluster.Value, state.AdvertiseAddress);
            return node;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Logs (at debug) how long <paramref name="phase"/> took since <paramref name="since"/>; returns now, the next phase's start.</summary>
    private long Lap(string operation, string phase, long since)
    {
        long now = Stopwatch.GetTimestamp();
        SwarmLog.Phase(logger, operation, phase, Stopwatch.GetElapsedTime(since, now).TotalMilliseconds);
        return now;
    }

    private NodeRecord NodeFor(LocalSwarmState state, NodeAvailability availability, DateTimeOffset now) => new()
    {
        Id = state.Node,
        CreatedAt = now,
        UpdatedAt = now,
        Role = state.Role,
        Availability = availability,
        Host = host,
        Address = state.AdvertiseAddress,
        EtcdClientUrl = RunsMember(state.Role) ? EtcdClusterBackend.ClientUrl(state.AdvertiseAddress) : null,
        EtcdPeerUrl = RunsMember(state.Role) ? EtcdClusterBackend.PeerUrl(state.AdvertiseAddress) : null,
    };
}
