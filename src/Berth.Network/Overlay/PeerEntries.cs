using System.Net;
using System.Net.NetworkInformation;
using Berth.Core.Errors;

namespace Berth.Network.Overlay;

/// <summary>
/// The peer entries of one sandbox, as three kernel tables: vxlan0's neighbours (IP → MAC, what its proxy
/// answers ARP/ND from), vxlan0's own FDB (MAC → remote VTEP) and br0's static entries on the vxlan0 port
/// (MACs the bridge forwards to vxlan0). A peer is programmed when it has all three. Plans the writes
/// that turn these tables into a wanted set of peers, and mirrors the tables once they were applied.
/// Pure: no kernel, no locks (the caller serialises per network).
/// </summary>
internal sealed class PeerEntries
{
    private readonly Dictionary<IPAddress, PhysicalAddress> _neighbours = [];
    private readonly Dictionary<PhysicalAddress, IPAddress> _remotes = [];
    private readonly HashSet<PhysicalAddress> _forwarded = [];

    /// <summary>MACs with more than one remote in the kernel (appended by someone else): rewritten whole.</summary>
    private readonly HashSet<PhysicalAddress> _ambiguous = [];

    public PeerEntries()
    {
    }

    public PeerEntries(
        IEnumerable<(IPAddress Address, PhysicalAddress Mac)> neighbours,
        IEnumerable<(PhysicalAddress Mac, IPAddress Vtep)> remotes,
        IEnumerable<PhysicalAddress> forwarded)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        ArgumentNullException.ThrowIfNull(remotes);
        ArgumentNullException.ThrowIfNull(forwarded);
        foreach (var (address, mac) in neighbours)
        {
            _neighbours[address] = mac;
        }

        foreach (var (mac, vtep) in remotes)
        {
            if (!_remotes.TryAdd(mac, vtep))
            {
                _ambiguous.Add(mac);
            }
        }

        _forwarded.UnionWith(forwarded);
    }

    public int NeighbourCount => _neighbours.Count;

    public int RemoteCount => _remotes.Count;

    public int ForwardCount => _forwarded.Count;

    /// <summary>The peers whose three entries are all present, ordered by address.</summary>
    public IReadOnlyList<OverlayPeer> Peers() => Collect(requireForward: true);

    /// <summary>The peers vxlan0 still knows (neighbour and remote), with or without br0's entry, which a new br0 lacks.</summary>
    public IReadOnlyList<OverlayPeer> Recoverable() => Collect(requireForward: false);

    private List<OverlayPeer> Collect(bool requireForward)
    {
        var peers = new List<OverlayPeer>(_neighbours.Count);
        foreach (var (address, mac) in _neighbours)
        {
            if (_remotes.TryGetValue(mac, out var vtep) && (!requireForward || _forwarded.Contains(mac)) && !_ambiguous.Contains(mac))
            {
                peers.Add(new OverlayPeer(address, mac, vtep));
            }
        }

        peers.Sort(static (a, b) => CompareAddresses(a.Address, b.Address));
        return peers;
    }

    /// <summary>
    /// What is wrong with a wanted set of peers, one line each: an address with two MACs, a MAC behind two
    /// VTEPs, a peer on this node's own VTEP (local endpoints join by veth, never as peers), a MAC that is
    /// not a unicast Ethernet address, an address that is not unicast.
    /// </summary>
    public static IReadOnlyList<string> Problems(IEnumerable<OverlayPeer> peers, IPAddress? localVtep)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var problems = new List<string>();
        var macOf = new Dictionary<IPAddress, PhysicalAddress>();
        var vtepOf = new Dictionary<PhysicalAddress, IPAddress>();
        foreach (var peer in peers)
        {
            ArgumentNullException.ThrowIfNull(peer);
            byte[] mac = peer.Mac.GetAddressBytes();
            if (mac.Length != 6 || (mac[0] & 1) != 0 || mac.All(b => b == 0))
            {
                problems.Add($"peer {peer}: {OverlayPeer.FormatMac(peer.Mac)} is not a unicast Ethernet address");
            }

            if (IsNotUnicast(peer.Address))
            {
                problems.Add($"peer {peer}: {peer.Address} is not a unicast address");
            }

            if (localVtep is not null && peer.Vtep.Equals(localVtep))
            {
                problems.Add($"peer {peer} is on this node's own VTEP {localVtep}; a local endpoint joins the sandbox by its veth, not as a peer");
            }

            if (macOf.TryGetValue(peer.Address, out var other) && !other.Equals(peer.Mac))
            {
                problems.Add($"address {peer.Address} is given twice, with MACs {OverlayPeer.FormatMac(other)} and {OverlayPeer.FormatMac(peer.Mac)}");
            }

            macOf.TryAdd(peer.Address, peer.Mac);
            if (vtepOf.TryGetValue(peer.Mac, out var otherVtep) && !otherVtep.Equals(peer.Vtep))
            {
                problems.Add($"MAC {OverlayPeer.FormatMac(peer.Mac)} is given behind two VTEPs, {otherVtep} and {peer.Vtep}");
            }

            vtepOf.TryAdd(peer.Mac, peer.Vtep);
        }

        return problems;
    }

    /// <summary>
    /// The writes that leave exactly <paramref name="wanted"/> (already checked by <see cref="Problems"/>):
    /// first what forwards (remote and bridge entries), then what makes the proxy answer (neighbours), then
    /// the removals in the reverse order, so a container is never told a MAC its frames cannot reach.
    /// </summary>
    public IReadOnlyList<PeerOperation> PlanExactly(IEnumerable<OverlayPeer> wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var neighbours = new Dictionary<IPAddress, PhysicalAddress>();
        var remotes = new Dictionary<PhysicalAddress, IPAddress>();
        var order = new List<PhysicalAddress>();
        foreach (var peer in wanted)
        {
            neighbours[peer.Address] = peer.Mac;
            if (remotes.TryAdd(peer.Mac, peer.Vtep))
            {
                order.Add(peer.Mac);
            }
        }

        var plan = new List<PeerOperation>();
        foreach (var mac in order)
        {
            PlanForwarding(plan, mac, remotes[mac]);
        }

        foreach (var (address, mac) in neighbours)
        {
            if (!_neighbours.TryGetValue(address, out var present) || !present.Equals(mac))
            {
                plan.Add(new PeerOperation(PeerOperationKind.SetNeighbour, mac, Address: address));
            }
        }

        foreach (var (address, mac) in _neighbours)
        {
            if (!neighbours.ContainsKey(address))
            {
                plan.Add(new PeerOperation(PeerOperationKind.DeleteNeighbour, mac, Address: address));
            }
        }

        foreach (var mac in _forwarded)
        {
            if (!remotes.ContainsKey(mac))
            {
                plan.Add(new PeerOperation(PeerOperationKind.DeleteForward, mac));
            }
        }

        foreach (var mac in _remotes.Keys)
        {
            if (!remotes.ContainsKey(mac))
            {
                plan.Add(new PeerOperation(PeerOperationKind.DeleteRemote, mac));
            }
        }

        return plan;
    }

    /// <summary>
    /// The writes that add <paramref name="peer"/> (already checked by <see cref="Problems"/>), replacing
    /// what its address pointed to; a MAC no address uses any more afterwards is removed.
    /// </summary>
    public IReadOnlyList<PeerOperation> PlanAdd(OverlayPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var plan = new List<PeerOperation>();
        PlanForwarding(plan, peer.Mac, peer.Vtep);
        if (!_neighbours.TryGetValue(peer.Address, out var previous) || !previous.Equals(peer.Mac))
        {
            plan.Add(new PeerOperation(PeerOperationKind.SetNeighbour, peer.Mac, Address: peer.Address));
            if (previous is not null && !UsedByAnotherAddress(previous, peer.Address))
            {
                PlanForget(plan, previous);
            }
        }

        return plan;
    }

    /// <summary>
    /// The writes that remove <paramref name="peer"/>: its neighbour only if its address still points to its
    /// MAC (a later peer may have taken the address), its MAC's entries only if no other address uses the MAC.
    /// </summary>
    public IReadOnlyList<PeerOperation> PlanRemove(OverlayPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var plan = new List<PeerOperation>();
        if (_neighbours.TryGetValue(peer.Address, out var present) && present.Equals(peer.Mac))
        {
            plan.Add(new PeerOperation(PeerOperationKind.DeleteNeighbour, peer.Mac, Address: peer.Address));
        }

        if (!UsedByAnotherAddress(peer.Mac, peer.Address))
        {
            PlanForget(plan, peer.Mac);
        }

        return plan;
    }

    /// <summary>Records writes the kernel accepted.</summary>
    public void Apply(IEnumerable<PeerOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        foreach (var operation in operations)
        {
            switch (operation.Kind)
            {
                case PeerOperationKind.SetRemote:
                    _remotes[operation.Mac] = operation.Vtep!;
                    _ambiguous.Remove(operation.Mac);
                    break;
                case PeerOperationKind.SetForward:
                    _forwarded.Add(operation.Mac);
                    break;
                case PeerOperationKind.SetNeighbour:
                    _neighbours[operation.Address!] = operation.Mac;
                    break;
                case PeerOperationKind.DeleteNeighbour:
                    _neighbours.Remove(operation.Address!);
                    break;
                case PeerOperationKind.DeleteForward:
                    _forwarded.Remove(operation.Mac);
                    break;
                case PeerOperationKind.DeleteRemote:
                    _remotes.Remove(operation.Mac);
                    _ambiguous.Remove(operation.Mac);
                    break;
                default:
                    throw new BerthException(ErrorKind.Internal, $"unknown peer operation {operation.Kind}");
            }
        }
    }

    private void PlanForwarding(List<PeerOperation> plan, PhysicalAddress mac, IPAddress vtep)
    {
        if (_ambiguous.Contains(mac))
        {
            // REPLACE rewrites only the first of several remotes; start from none.
            plan.Add(new PeerOperation(PeerOperationKind.DeleteRemote, mac));
            plan.Add(new PeerOperation(PeerOperationKind.SetRemote, mac, Vtep: vtep));
        }
        else if (!_remotes.TryGetValue(mac, out var present) || !present.Equals(vtep))
        {
            plan.Add(new PeerOperation(PeerOperationKind.SetRemote, mac, Vtep: vtep));
        }

        if (!_forwarded.Contains(mac))
        {
            plan.Add(new PeerOperation(PeerOperationKind.SetForward, mac));
        }
    }

    private void PlanForget(List<PeerOperation> plan, PhysicalAddress mac)
    {
        if (_forwarded.Contains(mac))
        {
            plan.Add(new PeerOperation(PeerOperationKind.DeleteForward, mac));
        }

        if (_remotes.ContainsKey(mac))
        {
            plan.Add(new PeerOperation(PeerOperationKind.DeleteRemote, mac));
        }
    }

    private bool UsedByAnotherAddress(PhysicalAddress mac, IPAddress except)
    {
        foreach (var (address, used) in _neighbours)
        {
            if (used.Equals(mac) && !address.Equals(except))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNotUnicast(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)
        || IPAddress.IsLoopback(address) || address.IsIPv6Multicast
        || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xf0) == 0xe0);

    private static int CompareAddresses(IPAddress a, IPAddress b)
    {
        int family = a.AddressFamily.CompareTo(b.AddressFamily);
        if (family != 0)
        {
            return family;
        }

        ReadOnlySpan<byte> x = a.GetAddressBytes(), y = b.GetAddressBytes();
        return x.SequenceCompareTo(y);
    }
}
