using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Containers;
using Berth.Network.Endpoints;
using Berth.Network.Networks;
using Berth.Runtime.Containers;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>
/// A container's networks: <c>docker network connect</c>/<c>disconnect</c> (the stored endpoints of a
/// container that is not running; the interface itself, its routes and /etc/hosts of a running one),
/// and the views of them that inspect and ps show.
/// </summary>
public sealed partial class ContainerManager
{
    private const string SharedNamespaceMessage = "container sharing network namespace with another container or host cannot be connected to any other network";

    /// <summary>
    /// The networks a container spec asks for, in order: its endpoints, or the network its mode names
    /// (<c>default</c> is <c>bridge</c>, marked <see cref="EndpointSpec.Implied"/>). Empty for host, none
    /// and container: modes. Only for a spec not yet made into a record (and records older than
    /// <see cref="ContainerRecord.ExplicitEndpoints"/>): a record's endpoints are <see cref="EffectiveEndpoints(ContainerRecord)"/>.
    /// </summary>
    public static ImmutableArray<EndpointSpec> EffectiveEndpoints(ContainerCreateSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return !spec.Endpoints.IsEmpty || spec.NetworkMode.ImpliedNetwork is not { } implied
            ? spec.Endpoints
            : [new EndpointSpec(implied) { Implied = true }];
    }

    /// <summary>
    /// The networks a container is configured for. Explicit once the record is made (the endpoint its
    /// network mode implies is written at create), so a container disconnected from every network stays so.
    /// </summary>
    public static ImmutableArray<EndpointSpec> EffectiveEndpoints(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.ExplicitEndpoints ? record.Spec.Endpoints : EffectiveEndpoints(record.Spec);
    }

    /// <summary>The record with the endpoint its network mode implies written into its spec (records made before that was done at create).</summary>
    private static ContainerRecord WithExplicitEndpoints(ContainerRecord record) =>
        record.ExplicitEndpoints ? record : record with { Spec = record.Spec with { Endpoints = EffectiveEndpoints(record.Spec) }, ExplicitEndpoints = true };

    /// <summary>The running containers' endpoints on a network (network inspect's <c>Containers</c>).</summary>
    public IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> EndpointsOn(NetworkId network) =>
        [.. _endpoints.OfNetwork(network)
            .Where(e => _containers.TryGetValue(e.ContainerId, out var c) && c.Status == ContainerStatus.Running)
            .Select(e => (_containers[e.ContainerId], e))];

    /// <summary><c>POST /networks/{id}/connect</c>, with Docker's errors.</summary>
    public async Task ConnectAsync(string networkIdOrName, string containerIdOrName, EndpointSpec endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        string id = Find(containerIdOrName).Id;
        using (await _locks.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            var record = Find(id);
            var network = await _endpoints.FindNetworkAsync(networkIdOrName, cancellationToken).ConfigureAwait(false);
            var mode = record.Spec.NetworkMode;
            if (mode.IsContainer)
            {
                throw new BerthException(ErrorKind.InvalidArgument, SharedNamespaceMessage);
            }

            if (_endpoints.Drivers.CapabilitiesOf(network).SharesHostNamespace && !mode.IsHost)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "cannot connect container to host network - container must be created in host network mode");
            }

            if (mode.IsHost)
            {
                throw new BerthException(ErrorKind.InvalidArgument, SharedNamespaceMessage);
            }

            if (mode.IsNone || _endpoints.Drivers.CapabilitiesOf(network).Isolated)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "container cannot be connected to multiple networks with one of the networks in private (none) mode");
            }

            var configured = EffectiveEndpoints(record);
            bool running = record.Status == ContainerStatus.Running;
            int existing = await IndexOfNetworkAsync(configured, network.Id, cancellationToken).ConfigureAwait(false);
            if (existing >= 0)
            {
                // Docker keeps the first configuration of a container that is not running; a running one already has the endpoint.
                if (running)
                {
                    throw new BerthException(ErrorKind.Forbidden, $"endpoint with name {record.Name} already exists in network {network.Name}");
                }

                // Unless the endpoint is only implied by the network mode (none configured, as after docker-compose
                // disconnects the one a container was created with to connect it again with its short id as an alias).
                if (!configured[existing].Implied)
                {
                    return;
                }

                configured = configured.RemoveAt(existing);
            }

            if ((endpoint.IPv4Address is { Length: > 0 } || endpoint.IPv6Address is { Length: > 0 }) && !network.Subnets.Any(s => s.Requested))
            {
                throw new BerthException(ErrorKind.InvalidArgument, "user specified IP address is supported only when connecting to networks with user configured subnets");
            }

            foreach (string link in endpoint.Links)
            {
                EndpointLink.Parse(link);
            }

            var added = endpoint with { Network = network.Name };
            record = record with { Spec = record.Spec with { Endpoints = configured.Add(added) } };
            long begin = System.Diagnostics.Stopwatch.GetTimestamp(), wired = begin, hosts = begin;
            if (running)
            {
                var made = await _networks.ConnectAsync(record.Id, record.Name, EndpointRequestFor(record, added), cancellationToken).ConfigureAwait(false);
                wired = System.Diagnostics.Stopwatch.GetTimestamp();
                record = record with { LastAddresses = record.LastAddresses.SetItem(added.Network, AddressesOf(made)) };
                await RewriteHostsAsync(record, cancellationToken).ConfigureAwait(false);
                hosts = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            var connected = record;
            record = await SaveAsync(record.Id, r => r with { Spec = r.Spec with { Endpoints = connected.Spec.Endpoints }, LastAddresses = connected.LastAddresses }, cancellationToken).ConfigureAwait(false);
            PublishNetworkEvent(network, "connect", record.Id);
            NetworkChangeTimings(_logger, record.Id, "connected to", network.Name, Ms(begin, System.Diagnostics.Stopwatch.GetTimestamp()), Ms(begin, wired), Ms(wired, hosts), Ms(hosts, System.Diagnostics.Stopwatch.GetTimestamp()));
        }
    }

    /// <summary><c>POST /networks/{id}/disconnect</c>, with Docker's errors.</summary>
    public async Task DisconnectAsync(string networkIdOrName, string containerIdOrName, CancellationToken cancellationToken = default)
    {
        string id = Find(containerIdOrName).Id;
        using (await _locks.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            var record = Find(id);
            var network = await _endpoints.FindNetworkAsync(networkIdOrName, cancellationToken).ConfigureAwait(false);
            if (record.Spec.NetworkMode.IsHost && _endpoints.Drivers.CapabilitiesOf(network).SharesHostNamespace)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "cannot disconnect container from host network - container was created in host network mode");
            }

            var configured = EffectiveEndpoints(record);
            int index = await IndexOfNetworkAsync(configured, network.Id, cancellationToken).ConfigureAwait(false);
            long begin = System.Diagnostics.Stopwatch.GetTimestamp(), wired = begin, hosts = begin;
            if (record.Status == ContainerStatus.Running)
            {
                if (!_endpoints.OfContainer(record.Id).Any(e => e.NetworkId == network.Id))
                {
                    throw new BerthException(ErrorKind.Internal, $"container {record.Id} is not connected to network {network.Name}");
                }

                var leaving = _endpoints.OfContainer(record.Id).First(e => e.NetworkId == network.Id);
                await _networks.DisconnectAsync(record.Id, record.Name, network.Id.Value, cancellationToken).ConfigureAwait(false);
                record = await MovePortsOffAsync(record, leaving, cancellationToken).ConfigureAwait(false);
                wired = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            else if (index < 0)
            {
                throw new BerthException(ErrorKind.Internal, $"container {record.Id} is not connected to the network {network.Name}");
            }

            record = record with
            {
                Spec = record.Spec with { Endpoints = index < 0 ? configured : configured.RemoveAt(index) },
                LastAddresses = index < 0 ? record.LastAddresses : record.LastAddresses.Remove(configured[index].Network),
            };
            if (record.Status == ContainerStatus.Running)
            {
                await RewriteHostsAsync(record, cancellationToken).ConfigureAwait(false);
                hosts = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            var disconnected = record;
            record = await SaveAsync(record.Id, r => r with { Spec = r.Spec with { Endpoints = disconnected.Spec.Endpoints }, LastAddresses = disconnected.LastAddresses, Ports = disconnected.Ports }, cancellationToken).ConfigureAwait(false);
            PublishNetworkEvent(network, "disconnect", record.Id);
            NetworkChangeTimings(_logger, record.Id, "disconnected from", network.Name, Ms(begin, System.Diagnostics.Stopwatch.GetTimestamp()), Ms(begin, wired), Ms(wired, hosts), Ms(hosts, System.Diagnostics.Stopwatch.GetTimestamp()));
        }
    }

    /// <summary>The position of <paramref name="network"/> among configured endpoints (named by name or id); -1 when absent.</summary>
    private async Task<int> IndexOfNetworkAsync(ImmutableArray<EndpointSpec> configured, NetworkId network, CancellationToken cancellationToken)
    {
        for (int i = 0; i < configured.Length; i++)
        {
            try
            {
                if ((await _endpoints.FindNetworkAsync(configured[i].Network, cancellationToken).ConfigureAwait(false)).Id == network)
                {
                    return i;
                }
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                // A network removed since: not this one.
            }
        }

        return -1;
    }

    private static EndpointRequest EndpointRequestFor(ContainerRecord record, EndpointSpec e)
    {
        var last = record.LastAddresses.GetValueOrDefault(e.Network);
        return new EndpointRequest
        {
            Network = e.Network,
            IPv4Address = ParseOrNull(e.IPv4Address),
            IPv6Address = ParseOrNull(e.IPv6Address),
            PreferredIPv4Address = ParseOrNull(last?.IPv4),
            PreferredIPv6Address = ParseOrNull(last?.IPv6),
            MacAddress = string.IsNullOrEmpty(e.MacAddress) ? null : PhysicalAddress.Parse(e.MacAddress.Replace(':', '-')),
            Aliases = e.Aliases,
            Links = [.. e.Links.Select(EndpointLink.Parse)],
        };
    }

    private static IPAddress? ParseOrNull(string? address) => string.IsNullOrEmpty(address) ? null : IPAddress.Parse(address);

    /// <summary>Requested network (as the request names it) → the addresses it got; endpoints come back in request order.</summary>
    private static ImmutableDictionary<string, EndpointAddresses> AddressesOf(ContainerNetworkRequest request, ImmutableArray<EndpointState> made)
    {
        var result = ImmutableDictionary.CreateBuilder<string, EndpointAddresses>(StringComparer.Ordinal);
        for (int i = 0; i < Math.Min(request.Endpoints.Length, made.Length); i++)
        {
            result[request.Endpoints[i].Network] = AddressesOf(made[i]);
        }

        return result.ToImmutable();
    }

    private static EndpointAddresses AddressesOf(EndpointState endpoint) =>
        new(endpoint.IPv4?.Address.ToString(), endpoint.IPv6?.Address.ToString());

    private static string HostsFor(ContainerRecord record, IEnumerable<EndpointState> endpoints, IReadOnlyList<HostsFile.Entry> linked) =>
        HostsFile.Render(HostnameOf(record), [.. endpoints.Where(e => e.IPv4 is not null).Select(e => e.IPv4!.Value.Address)], [.. ExtraHostEntries.Parse(record.Spec.ExtraHosts), .. linked], record.Name);

    /// <summary>
    /// /etc/hosts of a running container after its networks changed. Written in place: the container
    /// sees the file through a bind mount of this inode, so it must not be replaced by a rename.
    /// </summary>
    private async Task RewriteHostsAsync(ContainerRecord record, CancellationToken cancellationToken)
    {
        string path = new ContainerPaths(BundleOf(record.Id)).Hosts;
        var endpoints = _endpoints.OfContainer(record.Id);
        await File.WriteAllTextAsync(path, HostsFor(record, endpoints, await LinkedHostsAsync(record, endpoints, strict: false, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 5303, Level = LogLevel.Debug, Message = "container {Id} {Change} network {Network} in {TotalMs} ms: interface and DNS {WiringMs} ms, /etc/hosts {HostsMs} ms, record {SaveMs} ms")]
    private static partial void NetworkChangeTimings(ILogger logger, string id, string change, string network, double totalMs, double wiringMs, double hostsMs, double saveMs);
}
