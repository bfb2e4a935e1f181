using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Services;

/// <summary>
/// On a manager, makes the swarm's <c>ingress</c> network once, as Docker's <c>swarm init</c> does: while this node
/// leads, and until <see cref="ClusterKeys.IngressCreated"/> is in the store, it asks the network layer for the network
/// (which waits for the cluster link: retried every second) and then notes it. The note makes it once per swarm: a
/// user who removed ingress (to make their own with <c>network create --ingress</c>) keeps it removed; a leader that
/// crashed between the two steps finds the network there and only notes it.
/// </summary>
public sealed class IngressBootstrap : IAsyncDisposable
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private readonly IStateStore _store;
    private readonly IServiceNetworking _networking;
    private readonly Func<bool> _leading;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public IngressBootstrap(IStateStore store, IServiceNetworking networking, Func<bool> leading, ILogger logger)
    {
        _store = store;
        _networking = networking;
        _leading = leading;
        _logger = logger;
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stopping.Token));

    /// <summary>One attempt: true once the network is made and noted (or was already).</summary>
    public async Task<bool> TryOnceAsync(CancellationToken cancellationToken = default)
    {
        if (await _store.GetAsync(ClusterKeys.IngressCreated, cancellationToken).ConfigureAwait(false) is not null)
        {
            return true;
        }

        if (!_leading())
        {
            return false;
        }

        await _networking.CreateIngressNetworkAsync(cancellationToken).ConfigureAwait(false);
        await _store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare(ClusterKeys.IngressCreated, 0)],
            Success = [StoreOperation.Put(ClusterKeys.IngressCreated, "1"u8.ToArray())],
        }, cancellationToken).ConfigureAwait(false);
        ServicesLog.IngressCreated(_logger);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await TryOnceAsync(stopping).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is BerthException or InvalidOperationException or IOException)
            {
                ServicesLog.IngressNotYet(_logger, e.Message);
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
}
