using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Network.Endpoints;

namespace Berth.Network.Overlay;

/// <summary>Local containers: a veth from br0 into the container.</summary>
public sealed partial class OverlaySandboxes
{
    /// <summary>
    /// Connects a container: ensures the sandbox, then one RTM_NEWLINK makes a veth whose
    /// <paramref name="sandboxEnd"/> is on br0, up, and whose other end is born inside
    /// <paramref name="container"/> with the endpoint's interface name and MAC; then addresses and routes as
    /// every driver does (<see cref="EndpointWiring"/>). On failure nothing it made is left: not the veth,
    /// nor a sandbox this call created.
    /// </summary>
    public void Join(OverlaySandboxSpec spec, EndpointState endpoint, string sandboxEnd, NetworkNamespace container)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(container);
        Validate(spec);
        CheckSandboxEnd(sandboxEnd);
        if (endpoint.NetworkId != spec.Network)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"endpoint {endpoint.EndpointId} is on network {endpoint.NetworkId.Short}, not on {spec.Network.Short}");
        }

        lock (GateOf(spec.Network))
        {
            EnsureLocked(spec, out var sandbox, out bool created);
            try
            {
                sandbox.Namespace.Links.Create(new VethSpec(sandboxEnd, endpoint.InterfaceName)
                {
                    PeerNamespace = container.Handle,
                    PeerMacAddress = EndpointWiring.Mac(endpoint),
                    Mtu = spec.Mtu,
                    Master = LinkRef.ByIndex(sandbox.BridgeIndex),
                    Up = true,
                });
                try
                {
                    EndpointWiring.Configure(container, endpoint);
                }
                catch (BerthException)
                {
                    // Either end takes the other with it.
                    sandbox.Namespace.Links.TryDelete(sandboxEnd);
                    throw;
                }
            }
            catch (BerthException) when (created)
            {
                RemoveLocked(spec.Network);
                throw;
            }
        }
    }

    /// <summary>
    /// Disconnects a container: deletes the veth by its sandbox end (the container's end goes with it). With
    /// the sandbox already gone, deletes the container's end if it is still there (the kernel frees a deleted
    /// namespace's links lazily). Idempotent; <paramref name="container"/> may be null when it is gone.
    /// </summary>
    public void Leave(NetworkId network, EndpointState endpoint, string sandboxEnd, NetworkNamespace? container)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(endpoint);
        CheckSandboxEnd(sandboxEnd);
        lock (GateOf(network))
        {
            if (Find(network) is { } sandbox && sandbox.Namespace.Links.TryDelete(sandboxEnd))
            {
                return;
            }

            if (container?.Links.TryGet(endpoint.InterfaceName) is { Kind: "veth" } inside
                && inside.MacAddress is { } mac && mac.Equals(EndpointWiring.Mac(endpoint)))
            {
                container.Links.TryDelete(LinkRef.ByIndex(inside.Index));
            }
        }
    }

    /// <summary>How many containers of this node are on the network: the ports of br0 besides vxlan0; 0 without a sandbox.</summary>
    public int LocalEndpoints(NetworkId network)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (GateOf(network))
        {
            if (Find(network) is not { } sandbox)
            {
                return 0;
            }

            var links = sandbox.Namespace.Links.List();
            int? bridge = links.FirstOrDefault(l => l.Name == BridgeName)?.Index;
            return bridge is null ? 0 : links.Count(l => l.MasterIndex == bridge && l.Name is not (VxlanName or Sealed.SealedPath.TapName));
        }
    }

    /// <summary>The sandbox end is a veth's; never one of the sandbox's own links.</summary>
    private static void CheckSandboxEnd(string sandboxEnd)
    {
        LinkName.Validate(sandboxEnd);
        if (sandboxEnd is BridgeName or VxlanName or Sealed.SealedPath.TapName or "lo")
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"\"{sandboxEnd}\" is a link of the overlay sandbox itself, not a veth's end; plan another name");
        }
    }
}
