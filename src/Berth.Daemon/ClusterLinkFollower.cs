using System.Net;
using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Network.Cluster;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>
/// Which cluster the network layer follows: the swarm's session while this node is in a swarm; otherwise, with
/// <c>--cluster-store</c>, the store itself (overlay networks without swarm mode, as Docker's classic
/// <c>--cluster-store</c> allowed: every such daemon may create them; its node name is its daemon id and its tunnel
/// address the one the kernel routes towards the store). The store is dialled in the background until it answers.
/// </summary>
internal sealed partial class ClusterLinkFollower : IAsyncDisposable
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);

    private readonly SwarmNode _swarm;
    private readonly EtcdClusterBackend _backend;
    private readonly ClusterNetworking _networking;
    private readonly string _daemonId;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Task _storeLoop = Task.CompletedTask;
    private EtcdStateStore? _store;
    private ClusterLink? _storeLink;

    public ClusterLinkFollower(SwarmNode swarm, EtcdClusterBackend backend, ClusterNetworking networking, string daemonId, ILogger logger)
    {
        _swarm = swarm;
        _backend = backend;
        _networking = networking;
        _daemonId = daemonId;
        _logger = logger;
        swarm.SessionChanged += OnSession;
    }

    /// <summary>Starts dialling the external store, if there is one (call before the swarm starts).</summary>
    public void Start()
    {
        if (_backend.ExternalStore is not null)
        {
            _storeLoop = ConnectStoreAsync(_stopping.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _swarm.SessionChanged -= OnSession;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _storeLoop.ConfigureAwait(false);
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>The network layer's view of a swarm session: the tunnel address is the data path address if it is one, else the advertise address.</summary>
    private static ClusterLink LinkOf(SwarmSessionFacts facts) => new()
    {
        Store = facts.Store,
        Leases = facts.Leases,
        NodeId = facts.Node.Value,
        Manager = facts.Role == ClusterRole.Manager,
        Vtep = IPAddress.TryParse(facts.DataPathAddress, out var dataPath) ? dataPath : IPAddress.Parse(facts.AdvertiseAddress),
        DataPathPort = (ushort)facts.DataPathPort,
        DefaultAddressPools = [.. facts.DefaultAddrPool.Select(pool => IPNetwork.Parse(pool))],
        SubnetSize = facts.SubnetSize,
    };

    private void OnSession(SwarmSessionFacts? facts)
    {
        lock (_lock)
        {
            _networking.Follow(facts is not null ? LinkOf(facts) : _storeLink);
        }
    }

    private async Task ConnectStoreAsync(CancellationToken stopping)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var vtep = _backend.LocalAddressTowardsStore();
                var store = await _backend.OpenExternalStoreAsync(stopping).ConfigureAwait(false);
                await store.GetRevisionAsync(stopping).ConfigureAwait(false);
                _store = store;
                lock (_lock)
                {
                    _storeLink = new ClusterLink { Store = store, Leases = store, NodeId = _daemonId, Manager = true, Vtep = vtep };
                    if (_swarm.Local.State == SwarmLocalState.Inactive)
                    {
                        _networking.Follow(_storeLink);
                    }
                }

                StoreLinked(_logger, vtep.ToString());
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (BerthException e)
            {
                StoreUnreachable(_logger, e.Message, Retry);
            }

            try
            {
                await Task.Delay(Retry, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "overlay networks follow the cluster store (no swarm): tunnel endpoint {Vtep}")]
    private static partial void StoreLinked(ILogger logger, string vtep);

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "the cluster store does not answer yet ({Reason}); retrying in {Retry}")]
    private static partial void StoreUnreachable(ILogger logger, string reason, TimeSpan retry);
}
