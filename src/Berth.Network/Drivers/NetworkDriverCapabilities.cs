namespace Berth.Network.Drivers;

/// <summary>
/// What a network driver is, declared once by the driver (libnetwork's <c>driverapi.Capability</c>). The engine
/// asks these questions instead of comparing driver names, so a new driver needs no change outside its own file.
/// </summary>
public sealed record NetworkDriverCapabilities
{
    /// <summary>Containers get an interface, an address from IPAM and Join/Leave calls (false for host and null).</summary>
    public bool ConnectsContainers { get; init; }

    /// <summary><c>-p</c> bindings are published to a container's address on a network of this driver (bridge).</summary>
    public bool PublishesPorts { get; init; }

    /// <summary>The embedded resolver serves containers' names on user-defined networks of this driver.</summary>
    public bool EmbeddedDns { get; init; }

    /// <summary>
    /// The network carries containers only to each other (overlay): a container reaches the outside, and its published
    /// ports are reached, through a second endpoint on the gateway bridge (Docker's <c>docker_gwbridge</c>), unless the
    /// network is internal or the container has a network of its own way out.
    /// </summary>
    public bool EgressThroughGatewayBridge { get; init; }

    /// <summary>IPAM picks a gateway for each subnet that has none.</summary>
    public bool NeedsGateway { get; init; }

    /// <summary>Containers use the host's own network namespace (host).</summary>
    public bool SharesHostNamespace { get; init; }

    /// <summary>Containers get a namespace with loopback only (null, <c>--network none</c>).</summary>
    public bool Isolated { get; init; }

    /// <summary>Only the predefined network of this driver exists; users cannot create one (host, null).</summary>
    public bool Singleton { get; init; }

    public NetworkDriverScope Scope { get; init; } = NetworkDriverScope.Local;
}
