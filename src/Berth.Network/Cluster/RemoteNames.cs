using System.Collections.Concurrent;
using System.Threading.Channels;
using Berth.Core.Networks;
using Berth.Network.Dns;

namespace Berth.Network.Cluster;

/// <summary>
/// Other nodes' container names for the embedded resolver, applied in batches: each change is queued and a background
/// loop applies whatever has gathered as one new snapshot of the names (<see cref="DnsRegistry.Apply"/>). A lone change
/// is applied at once; a burst (a node's thousand endpoints, a re-listing) costs a few rebuilds, not one per record.
/// </summary>
internal sealed class RemoteNames : IAsyncDisposable
{
    private readonly DnsRegistry _registry;
    private readonly ConcurrentQueue<(DnsEndpoint? Set, string ContainerId, NetworkId Network)> _pending = new();
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Task _loop;

    public RemoteNames(DnsRegistry registry)
    {
        _registry = registry;
        _loop = RunAsync();
    }

    public void Set(DnsEndpoint endpoint)
    {
        _pending.Enqueue((endpoint, endpoint.ContainerId, endpoint.NetworkId));
        _signal.Writer.TryWrite(true);
    }

    public void Remove(string containerId, NetworkId network)
    {
        _pending.Enqueue((null, containerId, network));
        _signal.Writer.TryWrite(true);
    }

    public async ValueTask DisposeAsync()
    {
        _signal.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await Task.Yield();
        while (await _signal.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            _signal.Reader.TryRead(out _);
            Drain();
        }

        Drain();
    }

    /// <summary>Everything queued, the last change of each endpoint winning, as one snapshot.</summary>
    private void Drain()
    {
        var last = new Dictionary<(string, NetworkId), DnsEndpoint?>();
        while (_pending.TryDequeue(out var change))
        {
            last[(change.ContainerId, change.Network)] = change.Set;
        }

        if (last.Count > 0)
        {
            _registry.Apply([.. last.Values.OfType<DnsEndpoint>()], [.. last.Where(p => p.Value is null).Select(p => p.Key)]);
        }
    }
}
