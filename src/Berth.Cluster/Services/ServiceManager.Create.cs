using System.Collections.Immutable;
using System.Text;
using Berth.Cluster.Identity;
using Berth.Cluster.Secrets;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Store;

namespace Berth.Cluster.Services;

/// <summary>Create: validate, resolve networks, check and assign ports, claim VIPs, then one transaction with the name claim.</summary>
public sealed partial class ServiceManager
{
    /// <summary>Docker's range for ingress ports a spec leaves 0 (swarmkit <c>allocator/portallocator</c>).</summary>
    public const ushort DynamicPortStart = 30000;
    public const ushort DynamicPortEnd = 32767;

    /// <summary>The swarm's routing-mesh network, where a service publishing an ingress port gets a VIP too.</summary>
    public const string IngressNetworkName = "ingress";

    /// <summary>A write that keeps losing its secrets' fences to other services' writes (each rewrites them) gives up after this many.</summary>
    private const int FenceAttempts = 5;

    public async Task<ServiceCreated> CreateAsync(ServiceSpec spec, RegistryAuthUpdate? registryAuth = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ServiceSpecValidator.Validate(spec);
        if (await _store.GetAsync(ClusterKeys.ServiceName(spec.Name), cancellationToken).ConfigureAwait(false) is not null)
        {
            throw NameConflict(spec.Name);
        }

        // Only published ports are checked against the other services: without any, none is read (a create among
        // thousands of services would otherwise read them all; the name's claim is the transaction's compare below).
        List<ServiceEntry> services = spec.Endpoint.Ports.IsDefaultOrEmpty ? [] : await ServicesSnapshot.ServicesAsync(_store, cancellationToken).ConfigureAwait(false);

        var id = ServiceId.New();
        spec = spec with
        {
            Task = spec.Task with
            {
                Networks = await ResolveNetworksAsync(spec.Task.Networks, cancellationToken).ConfigureAwait(false),
                Container = spec.Task.Container with { SealedRegistryAuth = SealRegistryAuth(id, registryAuth?.Encoded) },
            },
        };
        ImmutableArray<ServicePort> ports = AssignPorts(spec, id, [], services);
        var claimed = new List<ServiceVirtualIp>();
        bool committed = false;
        try
        {
            await ClaimVirtualIpsAsync(id, spec, ports, [], claimed, cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = _time.GetUtcNow();
            var record = new ServiceRecord
            {
                Id = id,
                CreatedAt = now,
                UpdatedAt = now,
                Spec = spec,
                Ports = ports,
                VirtualIps = [.. claimed],
            };
            for (int attempt = 1; !committed; attempt++)
            {
                // Its secrets' and configs' fences are compared and rewritten with the claim: a removal racing this fails (Secrets/README.md).
                var (fences, fencePuts) = await SecretReferences.FenceAsync(_store, spec.Task.Container, cancellationToken).ConfigureAwait(false);
                var result = await _store.TransactAsync(new StoreTransaction
                {
                    Compares = [new StoreCompare(ClusterKeys.ServiceName(spec.Name), 0), new StoreCompare(ClusterKeys.Service(id), 0), .. fences],
                    Success =
                    [
                        StoreOperation.Put(ClusterKeys.Service(id), ServiceRecords.Bytes(record)),
                        StoreOperation.Put(ClusterKeys.ServiceName(spec.Name), Encoding.UTF8.GetBytes(id.Value)),
                        .. fencePuts,
                    ],
                }, cancellationToken).ConfigureAwait(false);
                committed = result.Succeeded;
                if (!committed && (fences.IsEmpty || attempt == FenceAttempts
                    || await _store.GetAsync(ClusterKeys.ServiceName(spec.Name), cancellationToken).ConfigureAwait(false) is not null))
                {
                    throw NameConflict(spec.Name);
                }
            }
        }
        finally
        {
            if (!committed)
            {
                await ReleaseAsync(id, claimed).ConfigureAwait(false);
            }
        }

        ServicesLog.Created(_logger, spec.Name, id.Value);
        return new ServiceCreated(id, []);
    }

    /// <summary>The client's registry credentials sealed for service <paramref name="id"/>; null when none were sent.</summary>
    private string? SealRegistryAuth(ServiceId id, string? encoded)
    {
        if (string.IsNullOrWhiteSpace(encoded))
        {
            return null;
        }

        var seal = _seal ?? throw new BerthException(ErrorKind.Unavailable,
            "this manager cannot seal registry credentials (it holds no managers' secret); send the request to another manager");
        return seal().SealRegistryAuth(id, encoded);
    }

    internal static BerthException NameConflict(string name) =>
        new(ErrorKind.Conflict, $"name conflicts with an existing object: service {name} already exists");

    /// <summary>Each <c>--network</c> by id or name to its id; unknown NotFound, a local or the ingress network InvalidArgument.</summary>
    private async Task<ImmutableArray<TaskNetwork>> ResolveNetworksAsync(ImmutableArray<TaskNetwork> networks, CancellationToken cancellationToken)
    {
        var resolved = ImmutableArray.CreateBuilder<TaskNetwork>(networks.Length);
        foreach (TaskNetwork network in networks)
        {
            ServiceNetworkInfo info = await _networking.ResolveNetworkAsync(network.Target, cancellationToken).ConfigureAwait(false)
                ?? throw new BerthException(ErrorKind.NotFound, $"network {network.Target} not found");
            if (info.IsIngress)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"Service cannot be explicitly attached to the ingress network \"{info.Name}\"");
            }

            if (!info.IsSwarmScoped)
            {
                throw new BerthException(ErrorKind.InvalidArgument,
                    $"The network {info.Name} cannot be used with services. Only networks scoped to the swarm can be used, such as those created with the overlay driver.");
            }

            if (resolved.Any(n => n.Target == info.Id))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"network {network.Target} is attached more than once; name each network once");
            }

            resolved.Add(network with { Target = info.Id });
        }

        return resolved.ToImmutable();
    }

    /// <summary>
    /// The ports as published (swarmkit <c>checkPortConflicts</c>, then the port allocator): a published port another
    /// service holds is refused; an ingress port left 0 keeps the number it had (<paramref name="previous"/>) or takes
    /// the lowest free one of 30000–32767.
    /// </summary>
    private static ImmutableArray<ServicePort> AssignPorts(ServiceSpec spec, ServiceId self, ImmutableArray<ServicePort> previous, IReadOnlyList<ServiceEntry> services)
    {
        var others = services.Where(s => s.Record.Id != self).ToList();
        foreach (ServicePort wanted in spec.Endpoint.Ports.Where(p => p.PublishedPort != 0))
        {
            foreach (ServiceEntry other in others)
            {
                foreach (ServicePort held in other.Record.Ports.Where(p => p.PublishedPort == wanted.PublishedPort && p.Protocol == wanted.Protocol))
                {
                    if (held.Mode == PublishMode.Ingress)
                    {
                        throw PortInUse(wanted, other, "an ingress port");
                    }

                    if (wanted.Mode == PublishMode.Ingress)
                    {
                        throw PortInUse(wanted, other, "a host-published port");
                    }
                }
            }
        }

        var used = others.SelectMany(s => s.Record.Ports).Concat(spec.Endpoint.Ports)
            .Where(p => p.PublishedPort != 0).Select(p => (p.Protocol, p.PublishedPort)).ToHashSet();
        var kept = previous.Where(p => p.Mode == PublishMode.Ingress).ToList();
        var ports = ImmutableArray.CreateBuilder<ServicePort>();
        foreach (ServicePort port in spec.Endpoint.Ports)
        {
            if (port.PublishedPort != 0 || port.Mode != PublishMode.Ingress)
            {
                ports.Add(port);
                continue;
            }

            ServicePort? before = kept.FirstOrDefault(p => p.Protocol == port.Protocol && p.TargetPort == port.TargetPort && !used.Contains((p.Protocol, p.PublishedPort)));
            ushort number = before?.PublishedPort ?? FreePort(port.Protocol, used);
            used.Add((port.Protocol, number));
            ports.Add(port with { PublishedPort = number });
        }

        return ports.ToImmutable();
    }

    private static ushort FreePort(PortProtocol protocol, HashSet<(PortProtocol, ushort)> used)
    {
        for (int port = DynamicPortStart; port <= DynamicPortEnd; port++)
        {
            if (!used.Contains((protocol, (ushort)port)))
            {
                return (ushort)port;
            }
        }

        throw new BerthException(ErrorKind.Unavailable, $"no free ingress port left in {DynamicPortStart}-{DynamicPortEnd}; publish the port with a number, or remove a service");
    }

    private static BerthException PortInUse(ServicePort port, ServiceEntry holder, string how) =>
        new(ErrorKind.InvalidArgument, $"port '{port.PublishedPort}' is already in use by service '{holder.Record.Spec.Name}' ({holder.Record.Id.Value}) as {how}");

    /// <summary>
    /// Claims a VIP on each network a vip-mode service needs that <paramref name="existing"/> does not hold yet (its
    /// networks, and <c>ingress</c> when it publishes an ingress port); each claim is added to <paramref name="claimed"/>
    /// at once, so a failure part-way gives back exactly what was taken.
    /// </summary>
    private async Task ClaimVirtualIpsAsync(ServiceId id, ServiceSpec spec, ImmutableArray<ServicePort> ports, ImmutableArray<ServiceVirtualIp> existing,
        List<ServiceVirtualIp> claimed, CancellationToken cancellationToken)
    {
        foreach (string network in await VipNetworksAsync(spec, ports, cancellationToken).ConfigureAwait(false))
        {
            if (existing.Any(v => v.NetworkId == network))
            {
                continue;
            }

            string address = await _networking.ClaimVirtualIpAsync(network, id, cancellationToken).ConfigureAwait(false);
            claimed.Add(new ServiceVirtualIp(network, address));
        }
    }

    private async Task<List<string>> VipNetworksAsync(ServiceSpec spec, ImmutableArray<ServicePort> ports, CancellationToken cancellationToken)
    {
        if (spec.Endpoint.Mode != EndpointMode.Vip)
        {
            return [];
        }

        var networks = spec.Task.Networks.Select(n => n.Target).ToList();
        if (ports.Any(p => p.Mode == PublishMode.Ingress))
        {
            var ingress = await _networking.IngressNetworkAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new BerthException(ErrorKind.InvalidArgument, "service needs ingress network, but no ingress network is present");
            networks.Add(ingress.Id);
        }

        return networks;
    }
}
