using System.Net;
using System.Threading.Channels;
using Berth.Cluster.Swarm;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Services;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Services;

/// <summary>
/// On the leading manager, keeps the network layer's service bindings (<c>net/services/&lt;network&gt;/&lt;service&gt;</c>:
/// name, aliases, endpoint mode, VIP, ports — what every node's resolver and load balancer follow) in step with the
/// services: derived from the service records alone, written only where they differ, removed for services that went.
/// Follows a watch of both prefixes and looks again every few seconds; a crash between a service's write and its
/// binding's is made good by the next look.
/// </summary>
public sealed class ServiceBindingSync : IAsyncDisposable
{
    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(3);

    private readonly IStateStore _store;
    private readonly Func<bool> _leading;
    private readonly ILogger _logger;
    private readonly ServiceBindings _bindings;
    private readonly Channel<bool> _kicks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private Task _loops = Task.CompletedTask;

    public ServiceBindingSync(IStateStore store, Func<bool> leading, ILogger logger)
    {
        _store = store;
        _leading = leading;
        _logger = logger;
        _bindings = new ServiceBindings(store);
    }

    public void Start()
    {
        var stopping = _stopping.Token;
        _loops = Task.WhenAll(Task.Run(() => LookAsync(stopping), stopping), Task.Run(() => WatchAsync(ClusterKeys.Services, stopping), stopping),
            Task.Run(() => WatchAsync(ServiceBindings.Prefix, stopping), stopping));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    /// <summary>One look, if this node leads: the bindings every service asks for, written where they differ; others removed.</summary>
    public async Task SyncOnceAsync(CancellationToken cancellationToken = default)
    {
        if (!_leading())
        {
            return;
        }

        var wanted = new Dictionary<string, ServiceBinding>(StringComparer.Ordinal);
        foreach (var service in await ServicesSnapshot.ServicesAsync(_store, cancellationToken).ConfigureAwait(false))
        {
            foreach (var binding in BindingsOf(service.Record))
            {
                wanted[ServiceBindings.Key(binding.NetworkId, binding.ServiceId)] = binding;
            }
        }

        var existing = (await _bindings.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            .ToDictionary(binding => ServiceBindings.Key(binding.NetworkId, binding.ServiceId), StringComparer.Ordinal);
        foreach (var (key, binding) in wanted)
        {
            if (!existing.TryGetValue(key, out var current) || !ServiceBindings.Encode(current).AsSpan().SequenceEqual(ServiceBindings.Encode(binding)))
            {
                await _bindings.PublishAsync(binding, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var (key, binding) in existing)
        {
            if (!wanted.ContainsKey(key))
            {
                await _bindings.WithdrawAsync(binding.NetworkId, binding.ServiceId, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A service's bindings: one per network it is on (its aliases there), with its VIP on that network in vip mode
    /// (none yet: no binding), and the ports it publishes; and, for a service publishing ingress ports, one on the
    /// ingress network (the network of its VIP that its tasks do not name) carrying those ports for the routing mesh.
    /// </summary>
    public static IEnumerable<ServiceBinding> BindingsOf(ServiceRecord service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (IngressBinding(service) is { } ingress)
        {
            yield return ingress;
        }

        var mode = service.Spec.Endpoint.Mode == EndpointMode.Dnsrr ? ServiceEndpointMode.Dnsrr : ServiceEndpointMode.Vip;
        var ports = service.Ports.Select(port => new ServiceBindingPort(port.Protocol.ToString().ToLowerInvariant(), port.TargetPort)).Distinct().ToList();
        foreach (var network in service.Spec.Task.Networks)
        {
            IPAddress? vip = null;
            if (mode == ServiceEndpointMode.Vip)
            {
                if (service.VirtualIps.FirstOrDefault(v => v.NetworkId == network.Target) is not { } claimed)
                {
                    continue;
                }

                vip = IPPrefix.TryParse(claimed.Address, out var prefix) ? prefix.Address : IPAddress.Parse(claimed.Address);
            }

            yield return new ServiceBinding
            {
                NetworkId = new NetworkId(network.Target),
                ServiceId = service.Id.Value,
                Name = service.Spec.Name,
                Aliases = network.Aliases,
                Mode = mode,
                Vip = vip,
                Ports = [.. ports],
            };
        }
    }

    /// <summary>The ingress binding of a service that publishes ingress ports and holds a VIP on the ingress network; else null.</summary>
    private static ServiceBinding? IngressBinding(ServiceRecord service)
    {
        var published = service.Ports.Where(p => p.Mode == PublishMode.Ingress && p.PublishedPort != 0 && p.Protocol != PortProtocol.Sctp)
            .Select(p => new ServiceBindingPort(p.Protocol.ToString().ToLowerInvariant(), p.TargetPort, p.PublishedPort)).Distinct().ToList();
        if (published.Count == 0 || service.Spec.Endpoint.Mode != EndpointMode.Vip || service.IngressNetwork is not { } network)
        {
            return null;
        }

        var claimed = service.VirtualIps.First(v => v.NetworkId == network);
        return new ServiceBinding
        {
            NetworkId = new NetworkId(network),
            ServiceId = service.Id.Value,
            Name = service.Spec.Name,
            Mode = ServiceEndpointMode.Vip,
            Vip = IPPrefix.TryParse(claimed.Address, out var prefix) ? prefix.Address : IPAddress.Parse(claimed.Address),
            Ports = [.. published],
            Ingress = true,
        };
    }

    private async Task LookAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await SyncOnceAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is BerthException or InvalidOperationException or IOException)
            {
                ServicesAgentLog.BindingsFailed(_logger, e.Message);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(LookEvery);
            try
            {
                await _kicks.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WatchAsync(string prefix, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var _ in _store.WatchAsync(prefix, 0, stopping).ConfigureAwait(false))
                {
                    _kicks.Writer.TryWrite(true);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is BerthException or StoreWatchLostException or InvalidOperationException or IOException)
            {
                // Missed changes are caught by the next timed look.
                try
                {
                    await Task.Delay(LookEvery, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
