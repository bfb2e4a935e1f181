namespace Berth.Cluster.Services;

/// <summary>
/// What services need of the network layer (implemented over it by the daemon; faked in tests): networks resolved by
/// id or name, and one virtual IP per service and network for endpoint mode vip.
/// </summary>
public interface IServiceNetworking
{
    /// <summary>The network named by id, name or unique id prefix; null when there is none.</summary>
    Task<ServiceNetworkInfo?> ResolveNetworkAsync(string idOrName, CancellationToken cancellationToken = default);

    /// <summary>Claims an address for <paramref name="service"/> on the network; returns it as CIDR (<c>10.0.1.2/24</c>).</summary>
    Task<string> ClaimVirtualIpAsync(string networkId, Identity.ServiceId service, CancellationToken cancellationToken = default);

    /// <summary>Gives back an address claimed by <see cref="ClaimVirtualIpAsync"/>; releasing one already gone is no error.</summary>
    Task ReleaseVirtualIpAsync(string networkId, Identity.ServiceId service, string address, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the swarm's routing-mesh network, Docker's <c>ingress</c> (overlay, <c>Ingress = true</c>, the first subnet of
    /// the swarm's address pool); a network of that name already there is left as it is. Unavailable until this node's
    /// network layer follows the cluster.
    /// </summary>
    Task CreateIngressNetworkAsync(CancellationToken cancellationToken = default);

    /// <summary>The swarm's ingress network (whatever its name: <c>network create --ingress</c> makes one); null when there is none.</summary>
    Task<ServiceNetworkInfo?> IngressNetworkAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts a task container's endpoints into their services' rotation on every node (the names and the VIPs' load
    /// balancing), or takes them out while the container stays wired; true when anything changed.
    /// </summary>
    Task<bool> SetInRotationAsync(string containerId, bool inRotation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the network layer follows the cluster behind <paramref name="store"/> (this session's swarm-scoped
    /// networks and endpoints are known): before that, a task container can be neither wired nor released.
    /// </summary>
    bool Follows(Berth.Store.IStateStore store);

    /// <summary>
    /// Lets the network layer ask which service uses a network (by id; a description such as <c>service ID</c>, or null)
    /// before it removes one, until the returned registration is disposed (a newer registration stays).
    /// </summary>
    IDisposable AnswerServiceUsers(Func<string, CancellationToken, Task<string?>> users);
}

/// <summary>A network as services see it.</summary>
public sealed record ServiceNetworkInfo(string Id, string Name, bool IsSwarmScoped)
{
    public bool Attachable { get; init; }

    /// <summary>The swarm's <c>ingress</c> network (routing mesh): services are attached to it by their published ports, never by name.</summary>
    public bool IsIngress { get; init; }
}
