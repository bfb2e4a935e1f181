using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Linux.Namespaces;
using Berth.Network.Dns;
using Berth.Network.Endpoints;
using Berth.Network.Ingress;
using Berth.Network.Networks;
using Berth.Network.Ports;
using Berth.Network.Services;

namespace Berth.Network.Containers;

/// <summary>
/// Makes and wires a container's network namespace before its process exists (so its first
/// instruction already has its network), and takes it down again. Namespaces are named
/// <c>c-&lt;id12&gt;</c> under the namespace manager's directory. With <paramref name="dns"/>, the
/// embedded resolver follows every change (see <see cref="ContainerDns"/>).
/// </summary>
/// <param name="gatewayBridge">Docker's docker_gwbridge for containers on overlays (null: none, such containers reach only their overlays).</param>
/// <param name="ingress">The routing mesh: a task on the ingress network gets its return path (null: no mesh).</param>
public sealed partial class ContainerNetworks(NamespaceManager namespaces, EndpointManager endpoints, ContainerDns? dns = null, PortPublisher? ports = null, GatewayBridge? gatewayBridge = null,
    ServiceLoadBalancer? loadBalancer = null, IngressController? ingress = null)
{
    public const string HostMode = Core.Networks.NetworkMode.HostText;
    public const string NoneMode = Core.Networks.NetworkMode.NoneText;
    public const string ContainerModePrefix = Core.Networks.NetworkMode.ContainerPrefix;

    /// <summary>
    /// berthd's <c>--userns-remap</c>: each container's network namespace is made owned by a user namespace of this mapping,
    /// which the container then runs in (see <see cref="NamespaceManager.CreateOwned"/>); null: berthd's own namespaces.
    /// </summary>
    public IdentityMapping? UserNamespace { get; init; }

    public static string NamespaceName(string containerId) => "c-" + containerId[..Math.Min(12, containerId.Length)];

    public async Task<ContainerNetworkState> PrepareAsync(ContainerNetworkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string mode = request.NetworkMode is "" or "default" ? PredefinedNetworks.Bridge : request.NetworkMode;
        if (mode == HostMode)
        {
            return new ContainerNetworkState(null, false, []);
        }

        if (mode.StartsWith(ContainerModePrefix, StringComparison.Ordinal))
        {
            return new ContainerNetworkState(
                request.JoinNamespacePath ?? throw new BerthException(ErrorKind.InvalidArgument, $"network mode {mode}: the container to join is not running"),
                false,
                []);
        }

        var requests = request.Endpoints.IsEmpty && mode != NoneMode ? [new EndpointRequest { Network = mode }] : request.Endpoints;
        if (mode == NoneMode && !request.Endpoints.IsEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "container cannot be connected to networks when its network mode is none");
        }

        string name = NamespaceName(request.ContainerId);

        // A container being started has no endpoints: any it has are left from a run berthd's start could not release
        // yet (on a swarm network that was not loaded then). Released now, with the network known.
        if ((endpoints.OfContainer(request.ContainerId).Count > 0 || namespaces.Exists(name))
            && !await ReleaseAsync(request.ContainerId, request.ContainerName, cancellationToken).ConfigureAwait(false))
        {
            throw new BerthException(ErrorKind.Unavailable,
                $"container {request.ContainerName}: its previous run is still on a swarm network this node has not loaded yet; start it again once the node is back in its swarm");
        }

        using var container = (UserNamespace, request.UserNamespacePath) switch
        {
            (null, _) => NetworkNamespace.Create(namespaces, name),
            (_, { } joined) => NetworkNamespace.CreateOwnedIn(namespaces, name, joined),
            (var mapping, null) => NetworkNamespace.CreateOwned(namespaces, name, mapping),
        };
        var made = ImmutableArray.CreateBuilder<EndpointState>();
        try
        {
            container.Links.SetUp("lo");

            // The default route goes to the first network with a way out of its own; with only overlays, to the gateway bridge.
            var egress = new bool[requests.Length];
            for (int i = 0; i < requests.Length; i++)
            {
                egress[i] = EgressesThroughGatewayBridge(await endpoints.FindNetworkAsync(requests[i].Network, cancellationToken).ConfigureAwait(false));
            }

            int routed = Array.IndexOf(egress, false);
            for (int i = 0; i < requests.Length; i++)
            {
                var endpointRequest = requests[i] with { DefaultRoute = i == routed };
                made.Add(await endpoints.AttachAsync(request.ContainerId, request.ContainerName, container, endpointRequest, cancellationToken).ConfigureAwait(false));
            }

            if (routed < 0 && await ThroughGatewayBridgeAsync(made, cancellationToken).ConfigureAwait(false))
            {
                made.Add(await AttachGatewayBridgeAsync(request.ContainerId, request.ContainerName, container, cancellationToken).ConfigureAwait(false));
            }

            if (dns is not null)
            {
                await dns.SyncAsync(request.ContainerId, request.ContainerName, namespaces.PathOf(name), reopen: true, cancellationToken).ConfigureAwait(false);
            }

            SyncServices(request.ContainerId, name);
            return new ContainerNetworkState(namespaces.PathOf(name), true, made.ToImmutable());
        }
        catch
        {
            loadBalancer?.Forget(request.ContainerId);
            ingress?.ForgetTask(request.ContainerId);
            await ForgetDnsAsync(request.ContainerId).ConfigureAwait(false);
            await DetachAllAsync(request, container, made, CancellationToken.None).ConfigureAwait(false);
            container.Dispose();
            namespaces.Delete(name);
            throw;
        }
    }

    /// <summary>
    /// Connects a running container to one more network (<c>docker network connect</c>): the interface
    /// is made inside its namespace now. The first network's default route stays; a container without
    /// one gets it from this network.
    /// </summary>
    public async Task<EndpointState> ConnectAsync(string containerId, string containerName, EndpointRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var container = OpenOwned(containerId, containerName);
        bool routed = endpoints.OfContainer(containerId).Any(e => e.DefaultRoute);
        bool egress = EgressesThroughGatewayBridge(await endpoints.FindNetworkAsync(request.Network, cancellationToken).ConfigureAwait(false));
        var made = await endpoints.AttachAsync(containerId, containerName, container, request with { DefaultRoute = !routed && !egress }, cancellationToken).ConfigureAwait(false);
        if (!routed && egress && await ThroughGatewayBridgeAsync([made], cancellationToken).ConfigureAwait(false))
        {
            await AttachGatewayBridgeAsync(containerId, containerName, container, cancellationToken).ConfigureAwait(false);
        }

        await SyncDnsAsync(containerId, containerName, reopen: false, cancellationToken).ConfigureAwait(false);
        return made;
    }

    /// <summary>Disconnects a running container from a network: its interface goes, its addresses are released.</summary>
    public async Task DisconnectAsync(string containerId, string containerName, string network, CancellationToken cancellationToken = default)
    {
        using var container = OpenOwned(containerId, containerName);
        await endpoints.DetachAsync(containerId, containerName, container, network, cancellationToken).ConfigureAwait(false);
        var remaining = endpoints.OfContainer(containerId);
        if (remaining.FirstOrDefault(e => e.Hidden) is { } gateway && !await ThroughGatewayBridgeAsync(remaining.Where(e => !e.Hidden), cancellationToken).ConfigureAwait(false))
        {
            // The last overlay went: so does the way out it needed.
            await endpoints.DetachAsync(containerId, containerName, container, gateway.NetworkId.Value, cancellationToken).ConfigureAwait(false);
        }

        await endpoints.PromoteDefaultRouteAsync(containerId, container, cancellationToken).ConfigureAwait(false);
        await SyncDnsAsync(containerId, containerName, reopen: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Brings the embedded resolver up to date with a running container's endpoints and name (after a
    /// rename); <paramref name="reopen"/> opens its sockets afresh (a berthd that has just started).
    /// Nothing for a container without a namespace of its own.
    /// </summary>
    public async Task SyncDnsAsync(string containerId, string containerName, bool reopen, CancellationToken cancellationToken = default)
    {
        string name = NamespaceName(containerId);
        if (dns is not null && namespaces.Exists(name))
        {
            await dns.SyncAsync(containerId, containerName, namespaces.PathOf(name), reopen, cancellationToken).ConfigureAwait(false);
        }

        if (namespaces.Exists(name))
        {
            SyncServices(containerId, name);
        }
    }

    /// <summary>
    /// The container's VIP load balancing table follows the networks it is attached to now (none on hidden ones), and a
    /// task on the ingress network gets its routing-mesh return path.
    /// </summary>
    private void SyncServices(string containerId, string namespaceName)
    {
        loadBalancer?.Sync(containerId, namespaces.PathOf(namespaceName), endpoints.OfContainer(containerId).Where(e => !e.Hidden).Select(e => e.NetworkId));
        ingress?.SyncTask(containerId, namespaces.PathOf(namespaceName));
    }

    private NetworkNamespace OpenOwned(string containerId, string containerName)
    {
        string name = NamespaceName(containerId);
        return namespaces.Exists(name)
            ? NetworkNamespace.OpenPath(namespaces.PathOf(name))
            : throw new BerthException(ErrorKind.Conflict, $"container {containerName} has no network namespace of its own (network mode host, none or container:); it cannot be connected or disconnected");
    }

    /// <summary>
    /// Releases every endpoint (addresses and records) and removes the namespace. Veth pairs are not
    /// deleted one by one (~40 ms each under the kernel's unregister): unmounting the namespace lets the
    /// kernel dismantle it, veth pairs included, in one batch once nothing holds it. Macvlans are.
    /// When a network of the container is not loaded (a swarm's, before the node is back in its swarm), only the
    /// kernel's part is done now (the namespace goes, and its links with it); its endpoints are withheld from the
    /// cluster and wait, with their addresses, for a release once the network is known
    /// (<see cref="EndpointManager.Withheld"/>, <see cref="EndpointManager.NetworksChanged"/>): false then.
    /// </summary>
    public async Task<bool> ReleaseAsync(string containerId, string containerName, CancellationToken cancellationToken = default)
    {
        string name = NamespaceName(containerId);
        loadBalancer?.Forget(containerId);
        ingress?.ForgetTask(containerId);
        await ForgetDnsAsync(containerId).ConfigureAwait(false);

        // Interfaces standing on a shared parent (macvlan: no host end) are the exception: each keeps its MAC
        // address taken on the parent until the kernel has dismantled the namespace, so a container started
        // right after with the same address would fail (EADDRINUSE). Those are deleted now.
        var onParent = endpoints.OfContainer(containerId).Where(e => e.HostInterface is null).ToList();
        if (onParent.Count > 0 && namespaces.Exists(name))
        {
            using var container = NetworkNamespace.OpenPath(namespaces.PathOf(name));
            foreach (var endpoint in onParent)
            {
                container.Links.TryDelete(endpoint.InterfaceName);
            }
        }

        // Withheld before the networks are read: one loaded after the read raises NetworksChanged after, and whoever
        // follows that finds the mark.
        endpoints.Withhold(containerId);
        bool whole = endpoints.OfContainer(containerId).All(e => endpoints.IsNetworkLoaded(e.NetworkId));
        try
        {
            if (whole)
            {
                await DetachAllAsync(new ContainerNetworkRequest { ContainerId = containerId, ContainerName = containerName }, null, endpoints.OfContainer(containerId), cancellationToken).ConfigureAwait(false);
                endpoints.EndWithholding(containerId);
            }
        }
        finally
        {
            // The kernel's part whatever the records' says: a release that failed is tried again (still withheld).
            if (namespaces.Exists(name))
            {
                namespaces.Delete(name);
            }
        }

        return whole;
    }

    private bool EgressesThroughGatewayBridge(Core.Networks.NetworkState network) => endpoints.Drivers.CapabilitiesOf(network).EgressThroughGatewayBridge;

    /// <summary>Whether these endpoints need the gateway bridge: one is on a network without a way out of its own that is not internal.</summary>
    private async Task<bool> ThroughGatewayBridgeAsync(IEnumerable<EndpointState> attached, CancellationToken cancellationToken)
    {
        if (gatewayBridge is null)
        {
            return false;
        }

        foreach (var endpoint in attached)
        {
            var network = await endpoints.FindNetworkAsync(endpoint.NetworkId.Value, cancellationToken).ConfigureAwait(false);
            if (EgressesThroughGatewayBridge(network) && !network.Config.Internal)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<EndpointState> AttachGatewayBridgeAsync(string containerId, string containerName, NetworkNamespace container, CancellationToken cancellationToken)
    {
        var bridge = await gatewayBridge!.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await endpoints.AttachAsync(containerId, containerName, container,
            new EndpointRequest { Network = bridge.Id.Value, DefaultRoute = true, Hidden = true }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The container's own <c>--dns</c> servers for the embedded resolver to forward its queries to (empty: the daemon's).</summary>
    public void SetDnsUpstreams(string containerId, IReadOnlyCollection<System.Net.IPAddress> servers) =>
        dns?.Server.SetUpstreams(containerId, [.. servers.Select(s => new System.Net.IPEndPoint(s, DnsServer.DnsPort))]);

    private Task ForgetDnsAsync(string containerId) => dns?.ForgetAsync(containerId) ?? Task.CompletedTask;

    private async Task DetachAllAsync(ContainerNetworkRequest request, NetworkNamespace? container, IEnumerable<EndpointState> attached, CancellationToken cancellationToken)
    {
        foreach (var endpoint in attached)
        {
            await endpoints.DetachAsync(request.ContainerId, request.ContainerName, container, endpoint.NetworkId.Value, cancellationToken).ConfigureAwait(false);
        }
    }
}
