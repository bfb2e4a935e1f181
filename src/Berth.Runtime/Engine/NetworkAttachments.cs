using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Core.Ports;
using Berth.Network.Containers;
using Berth.Network.Dns;
using Berth.Network.Endpoints;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>
/// A run's network: before the start, the namespace wired with the container's networks (the addresses it had
/// before asked for again), its links' and its own /etc/hosts, its links' environment, its resolv.conf, its published ports; after its exit
/// (or a failed start, or its removal) all of it released; after a berthd restart, the embedded DNS and the ports of
/// running containers served again. <c>docker network connect</c>/<c>disconnect</c> is <see cref="ContainerNetworking"/>.
/// </summary>
public sealed partial class NetworkAttachments(ContainerNetworks networks, EndpointManager endpoints, ContainerLinks links, ContainerPorts ports, ContainerEvents events, ContainerDirectories directories, Images.ImageStore images, ILogger logger)
{
    private const string HostResolvConfPath = "/etc/resolv.conf";

    /// <summary>
    /// Wires the run's network (call with the container's lock held). On failure what was made is released; once this
    /// returns the caller releases it with <see cref="DetachAsync"/> if the start fails later.
    /// </summary>
    /// <param name="inRotation">Whether a service task's endpoints are its service's backends from the start (<see cref="ServiceRotation.StartsInRotation"/>).</param>
    /// <param name="userNamespace">Under <c>--userns-remap</c>, the user namespace to make the container's network namespace in (<see cref="NamespaceJoins.UserNamespaceDonor"/>); null: a new one.</param>
    public async Task<NetworkAttachment> AttachAsync(ContainerRecord record, ContainerRecord? joined, bool inRotation = true, string? userNamespace = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var request = RequestFor(record, joined, inRotation) with { UserNamespacePath = userNamespace };
        networks.SetDnsUpstreams(record.Id.Value, DnsServersOf(record.Spec));
        var network = await networks.PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        ImmutableArray<PublishedPort> published = [];
        try
        {
            var linked = await links.LinkedAsync(record, network.Endpoints, strict: true, cancellationToken).ConfigureAwait(false);
            published = await ports.PublishAsync(record, cancellationToken).ConfigureAwait(false);
            return new NetworkAttachment(network.NamespacePath, network.Endpoints, HostsFor(record, network.Endpoints, ContainerLinks.HostsEntries(linked)),
                ResolvConfFor(record, await HasEmbeddedDnsAsync(network.Endpoints, cancellationToken).ConfigureAwait(false)), published, AddressesOf(request, network.Endpoints))
            {
                LinkEnvironment = [.. linked.SelectMany(l => LinkEnvironmentOf(record, l))],
            };
        }
        catch
        {
            await DetachAsync(record.Id, record.Name, published, publishEvents: false, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The run started: a network <c>connect</c> event for each of its endpoints.</summary>
    public Task AttachedAsync(ContainerId id, IEnumerable<EndpointState> made) => PublishEndpointEventsAsync(id, made, "connect");

    /// <summary>
    /// Releases a run's network: its ports withdrawn, its endpoints (addresses and records) released, its namespace
    /// removed; with <paramref name="publishEvents"/>, a network <c>disconnect</c> event for each endpoint (an exit).
    /// False when a network of the container is not loaded yet (a swarm's, before the node is back in its swarm): the
    /// namespace went, the endpoints wait for the network (<see cref="AwaitingRelease"/>) and their events with them.
    /// </summary>
    public async Task<bool> DetachAsync(ContainerId id, string name, IReadOnlyCollection<PublishedPort> published, bool publishEvents, CancellationToken cancellationToken = default)
    {
        ports.Withdraw(id, published);
        var leaving = endpoints.OfContainer(id.Value);
        if (!await networks.ReleaseAsync(id.Value, name, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (publishEvents)
        {
            await PublishEndpointEventsAsync(id, leaving, "disconnect").ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Containers whose endpoints wait for a network to be loaded before they are released (<see cref="DetachAsync"/>).</summary>
    public IReadOnlyList<string> AwaitingRelease => endpoints.Withheld;

    /// <summary>Raised after the known networks changed (the swarm's loaded, say): what waited for one may go on.</summary>
    public event Action? NetworksChanged
    {
        add => endpoints.NetworksChanged += value;
        remove => endpoints.NetworksChanged -= value;
    }

    /// <summary>Whether every network the container is configured with is known now (a swarm's only once the node is back in its swarm).</summary>
    public async Task<bool> NetworksKnownAsync(ContainerRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var endpoint in record.EffectiveEndpoints())
        {
            try
            {
                await endpoints.FindNetworkAsync(endpoint.Network, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>berthd's start: the endpoints and namespaces a crash left to containers that are not running released.</summary>
    public async Task ReleaseLeftoversAsync(IReadOnlyCollection<ContainerRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var running = records.Where(r => r.Status == ContainerStatus.Running).Select(r => r.Id.Value).ToHashSet(StringComparer.Ordinal);
        foreach (string id in await networks.ReleaseLeftoversAsync(running, cancellationToken).ConfigureAwait(false))
        {
            LeftoverReleased(logger, id[..12]);
        }
    }

    /// <summary>berthd's start: the running containers' embedded DNS served again (before their watchers start), and their published ports held again.</summary>
    public async Task RestoreAsync(IReadOnlyCollection<ContainerRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records.Where(r => r.Status == ContainerStatus.Running))
        {
            try
            {
                networks.SetDnsUpstreams(record.Id.Value, DnsServersOf(record.Spec));
                await networks.SyncDnsAsync(record.Id.Value, record.Name, reopen: true, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e)
            {
                // Its namespace may be going away with an exit the watcher is about to record: berthd starts regardless.
                DnsRestoreFailed(logger, record.ShortId, e.Message);
            }
        }

        ports.Restore(records);
    }

    /// <summary>The embedded DNS after a rename of a running container: this node's, and every node's for its endpoints on swarm-scoped networks.</summary>
    public async Task RenamedAsync(ContainerRecord renamed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(renamed);
        if (renamed.Status == ContainerStatus.Running)
        {
            await endpoints.RenameClusterEndpointsAsync(renamed.Id.Value, renamed.Name, cancellationToken).ConfigureAwait(false);
            await networks.SyncDnsAsync(renamed.Id.Value, renamed.Name, reopen: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// /etc/hosts of a running container after its networks changed, and its /etc/resolv.conf once it is on a network
    /// with the embedded resolver (a container of the default bridge connected to a user-defined network then resolves
    /// names through 127.0.0.11, as Docker's rebuilds it on join; leaving that network again keeps the resolver, as
    /// Docker's does). Written in place: the container sees the files through bind mounts of these inodes, so they must
    /// not be replaced by a rename.
    /// </summary>
    public async Task RewriteHostsAsync(ContainerRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var paths = directories.PathsOf(record.Id);
        var made = endpoints.OfContainer(record.Id.Value).Where(e => !e.Hidden).ToList();
        var linked = await links.HostsEntriesAsync(record, made, strict: false, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(paths.Hosts, HostsFor(record, made, linked), cancellationToken).ConfigureAwait(false);
        if (!record.Spec.NetworkMode.IsUserDefined && await HasEmbeddedDnsAsync(made, cancellationToken).ConfigureAwait(false)
            && File.Exists(paths.ResolvConf) && !ResolvConf.Parse(await File.ReadAllTextAsync(paths.ResolvConf, cancellationToken).ConfigureAwait(false)).Nameservers.Contains(ResolvConf.EmbeddedResolver))
        {
            await File.WriteAllTextAsync(paths.ResolvConf, ResolvConfFor(record, embedded: true), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether any of the endpoints is on a network the embedded resolver serves (user-defined, of a driver with embedded DNS).</summary>
    private async Task<bool> HasEmbeddedDnsAsync(IEnumerable<EndpointState> made, CancellationToken cancellationToken)
    {
        foreach (var endpoint in made.Where(e => !e.Hidden))
        {
            try
            {
                if (ContainerDns.IsUserDefined(await endpoints.FindNetworkAsync(endpoint.NetworkId.Value, cancellationToken).ConfigureAwait(false), endpoints.Drivers))
                {
                    return true;
                }
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Removed meanwhile: not a network of the container any more.
            }
        }

        return false;
    }

    /// <summary>A legacy link's variables (<see cref="LinkEnvironment"/>): the linked container's exposed ports at its bridge address, its image's and its own environment.</summary>
    private IReadOnlyList<string> LinkEnvironmentOf(ContainerRecord record, LinkedContainer linked)
    {
        string address = linked.OnBridge.IPv4?.Address.ToString() ?? linked.OnBridge.IPv6?.Address.ToString() ?? "";
        IEnumerable<string> imageEnv = [];
        try
        {
            imageEnv = images.Inspect(linked.Child.ImageId).Config.Config?.Env ?? [];
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            // The linked container's image was removed since (docker rmi -f): its own environment still counts.
        }

        return LinkEnvironment.Of(record.Name, linked.Link.Alias, address, ports.ExposedPortsOf(linked.Child), [.. imageEnv, .. linked.Child.Spec.Env]);
    }

    /// <summary><c>--dns</c> as addresses; anything else is a 400 naming it.</summary>
    public static IPAddress[] DnsServersOf(ContainerCreateSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return [.. spec.Dns.Select(text => IPAddress.TryParse(text, out var address)
            ? address
            : throw new BerthException(ErrorKind.InvalidArgument, $"invalid --dns \"{text}\": not an IP address"))];
    }

    /// <summary>What the network layer is asked for one endpoint: the configured addresses, else the ones of the last run.</summary>
    /// <param name="inRotation">For a service task's endpoint: whether it is a backend of its service from the start.</param>
    public static EndpointRequest EndpointRequestFor(ContainerRecord record, EndpointSpec endpoint, bool inRotation = true)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(endpoint);
        var last = record.LastAddresses.GetValueOrDefault(endpoint.Network);
        return new EndpointRequest
        {
            Network = endpoint.Network,
            IPv4Address = ParseOrNull(endpoint.IPv4Address),
            IPv6Address = ParseOrNull(endpoint.IPv6Address),
            PreferredIPv4Address = ParseOrNull(last?.IPv4),
            PreferredIPv6Address = ParseOrNull(last?.IPv6),
            MacAddress = string.IsNullOrEmpty(endpoint.MacAddress) ? null : PhysicalAddress.Parse(endpoint.MacAddress.Replace(':', '-')),
            Aliases = endpoint.Aliases,
            Links = [.. endpoint.Links.Select(EndpointLink.Parse)],
            ServiceId = endpoint.ServiceId,
            OutOfRotation = endpoint.ServiceId is not null && (endpoint.OutOfRotation || !inRotation),
        };
    }

    public static EndpointAddresses AddressesOf(EndpointState endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new(endpoint.IPv4?.Address.ToString(), endpoint.IPv6?.Address.ToString());
    }

    /// <param name="joined">The container whose namespace <c>--network container:X</c> joins (read without its lock), or null.</param>
    private static ContainerNetworkRequest RequestFor(ContainerRecord record, ContainerRecord? joined, bool inRotation)
    {
        var mode = record.Spec.NetworkMode;
        string? join = mode.IsContainer && joined is { Status: ContainerStatus.Running } other ? $"/proc/{other.Pid}/ns/net" : null;
        var configured = record.EffectiveEndpoints();
        return new ContainerNetworkRequest
        {
            ContainerId = record.Id.Value,
            ContainerName = record.Name,

            // A container disconnected from every network gets a namespace with only lo: the network layer
            // reads no endpoints as "the network the mode names", so such a start is asked for as none.
            NetworkMode = (mode.ImpliedNetwork is not null && configured.IsEmpty ? NetworkMode.None : mode).ToString(),
            JoinNamespacePath = join,
            Endpoints = [.. configured.Select(e => EndpointRequestFor(record, e, inRotation))],
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

    private static string HostsFor(ContainerRecord record, IEnumerable<EndpointState> made, IReadOnlyList<HostsFile.Entry> linked) =>
        HostsFile.Render(record.EffectiveHostname(), [.. made.Where(e => e.IPv4 is not null).Select(e => e.IPv4!.Value.Address)], [.. ExtraHostEntries.Parse(record.Spec.ExtraHosts), .. linked], record.Name);

    private static string ResolvConfFor(ContainerRecord record, bool embedded)
    {
        string hostFile = File.Exists(HostResolvConfPath) ? File.ReadAllText(HostResolvConfPath) : "";
        var mode = record.Spec.NetworkMode;
        var own = record.Spec;
        if (mode.IsHost && own.Dns.IsEmpty && own.DnsSearch.IsEmpty && own.DnsOptions.IsEmpty)
        {
            return hostFile;
        }

        return ResolvConf.Render(ResolvConf.Parse(hostFile), embedded || mode.IsUserDefined, own.Dns, own.DnsSearch, own.DnsOptions);
    }

    /// <summary>A network event for each of a container's endpoints (made at its start, released at its exit).</summary>
    private async Task PublishEndpointEventsAsync(ContainerId id, IEnumerable<EndpointState> made, string action)
    {
        foreach (var endpoint in made)
        {
            try
            {
                events.Network(await endpoints.FindNetworkAsync(endpoint.NetworkId.Value).ConfigureAwait(false), action, id);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                // The network went meanwhile: nothing to report it by.
            }
        }
    }

    [LoggerMessage(EventId = 5305, Level = LogLevel.Information, Message = "container {Id} is not running: released the network a crash left it")]
    private static partial void LeftoverReleased(ILogger logger, string id);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "container {Id}: the embedded DNS resolver could not be restored: {Message}")]
    private static partial void DnsRestoreFailed(ILogger logger, string id, string message);
}
