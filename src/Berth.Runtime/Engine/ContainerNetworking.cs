using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Containers;
using Berth.Network.Endpoints;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>
/// <c>docker network connect</c>/<c>disconnect</c>: the stored endpoints of a container that is not running; the
/// interface itself, its routes, its published ports and /etc/hosts of a running one. Under the container's lock.
/// </summary>
public sealed partial class ContainerNetworking(ContainerRecords records, ContainerSlots slots, ContainerNetworks networks, EndpointManager endpoints, NetworkAttachments attachments, ContainerPorts ports, ContainerEvents events, ILogger logger) : IContainerNetworking
{
    private const string SharedNamespaceMessage = "container sharing network namespace with another container or host cannot be connected to any other network";

    /// <summary><c>POST /networks/{id}/connect</c>, with Docker's errors.</summary>
    public async Task ConnectAsync(string networkIdOrName, string containerIdOrName, EndpointSpec endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var id = records.Find(containerIdOrName).Id;
        using (await slots.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            var record = records.Get(id);
            var network = await endpoints.FindNetworkAsync(networkIdOrName, cancellationToken).ConfigureAwait(false);
            var mode = record.Spec.NetworkMode;
            if (mode.IsContainer)
            {
                throw new BerthException(ErrorKind.InvalidArgument, SharedNamespaceMessage);
            }

            if (endpoints.Drivers.CapabilitiesOf(network).SharesHostNamespace && !mode.IsHost)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "cannot connect container to host network - container must be created in host network mode");
            }

            if (mode.IsHost)
            {
                throw new BerthException(ErrorKind.InvalidArgument, SharedNamespaceMessage);
            }

            if (mode.IsNone || endpoints.Drivers.CapabilitiesOf(network).Isolated)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "container cannot be connected to multiple networks with one of the networks in private (none) mode");
            }

            var configured = record.EffectiveEndpoints();
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
                var made = await networks.ConnectAsync(record.Id.Value, record.Name, NetworkAttachments.EndpointRequestFor(record, added), cancellationToken).ConfigureAwait(false);
                wired = System.Diagnostics.Stopwatch.GetTimestamp();
                record = record with { LastAddresses = record.LastAddresses.SetItem(added.Network, NetworkAttachments.AddressesOf(made)) };
                await attachments.RewriteHostsAsync(record, cancellationToken).ConfigureAwait(false);
                hosts = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            var connected = record;
            record = await records.SaveAsync(record.Id, r => r with { Spec = r.Spec with { Endpoints = connected.Spec.Endpoints }, LastAddresses = connected.LastAddresses }, cancellationToken).ConfigureAwait(false);
            events.Network(network, "connect", record.Id);
            NetworkChangeTimings(logger, record.ShortId, "connected to", network.Name, Ms(begin, System.Diagnostics.Stopwatch.GetTimestamp()), Ms(begin, wired), Ms(wired, hosts), Ms(hosts, System.Diagnostics.Stopwatch.GetTimestamp()));
        }
    }

    /// <summary><c>POST /networks/{id}/disconnect</c>, with Docker's errors.</summary>
    public async Task DisconnectAsync(string networkIdOrName, string containerIdOrName, CancellationToken cancellationToken = default)
    {
        var id = records.Find(containerIdOrName).Id;
        using (await slots.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            var record = records.Get(id);
            var network = await endpoints.FindNetworkAsync(networkIdOrName, cancellationToken).ConfigureAwait(false);
            if (record.Spec.NetworkMode.IsHost && endpoints.Drivers.CapabilitiesOf(network).SharesHostNamespace)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "cannot disconnect container from host network - container was created in host network mode");
            }

            var configured = record.EffectiveEndpoints();
            int index = await IndexOfNetworkAsync(configured, network.Id, cancellationToken).ConfigureAwait(false);
            long begin = System.Diagnostics.Stopwatch.GetTimestamp(), wired = begin, hosts = begin;
            if (record.Status == ContainerStatus.Running)
            {
                if (!endpoints.OfContainer(record.Id.Value).Any(e => e.NetworkId == network.Id))
                {
                    throw new BerthException(ErrorKind.NotFound, $"container {record.Id} is not connected to network {network.Name}");
                }

                var leaving = endpoints.OfContainer(record.Id.Value).First(e => e.NetworkId == network.Id);
                await networks.DisconnectAsync(record.Id.Value, record.Name, network.Id.Value, cancellationToken).ConfigureAwait(false);
                record = await ports.MoveOffAsync(record, leaving, cancellationToken).ConfigureAwait(false);
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
                await attachments.RewriteHostsAsync(record, cancellationToken).ConfigureAwait(false);
                hosts = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            var disconnected = record;
            record = await records.SaveAsync(record.Id, r => r with { Spec = r.Spec with { Endpoints = disconnected.Spec.Endpoints }, LastAddresses = disconnected.LastAddresses, Ports = disconnected.Ports }, cancellationToken).ConfigureAwait(false);
            events.Network(network, "disconnect", record.Id);
            NetworkChangeTimings(logger, record.ShortId, "disconnected from", network.Name, Ms(begin, System.Diagnostics.Stopwatch.GetTimestamp()), Ms(begin, wired), Ms(wired, hosts), Ms(hosts, System.Diagnostics.Stopwatch.GetTimestamp()));
        }
    }

    /// <summary>The position of <paramref name="network"/> among configured endpoints (named by name or id); -1 when absent.</summary>
    private async Task<int> IndexOfNetworkAsync(ImmutableArray<EndpointSpec> configured, NetworkId network, CancellationToken cancellationToken)
    {
        for (int i = 0; i < configured.Length; i++)
        {
            try
            {
                if ((await endpoints.FindNetworkAsync(configured[i].Network, cancellationToken).ConfigureAwait(false)).Id == network)
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

    private static double Ms(long from, long to) => Math.Round(System.Diagnostics.Stopwatch.GetElapsedTime(from, to).TotalMilliseconds, 1);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Debug, Message = "container {Id} {Change} network {Network} in {TotalMs} ms: interface and DNS {WiringMs} ms, /etc/hosts {HostsMs} ms, record {SaveMs} ms")]
    private static partial void NetworkChangeTimings(ILogger logger, string id, string change, string network, double totalMs, double wiringMs, double hostsMs, double saveMs);
}
