using System.Diagnostics;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Links;
using Berth.Linux.Neighbours;

namespace Berth.Network.Overlay;

/// <summary>
/// Remote endpoints, programmed statically: per peer vxlan0's FDB entry (MAC → VTEP), br0's static entry
/// (MAC → the vxlan0 port) and vxlan0's permanent neighbour (IP → MAC, answered by its proxy). Writes go in
/// pipelined batches (<see cref="Linux.Netlink.RtnlPipeline"/>).
/// </summary>
public sealed partial class OverlaySandboxes
{
    /// <summary>
    /// Afterwards the sandbox holds exactly <paramref name="peers"/>: what the kernel lacks is added, what
    /// differs is replaced, what is stale is removed (read from the kernel, not from memory). Every problem
    /// of the set (an address with two MACs, a MAC behind two VTEPs, a peer on this node's own VTEP) is
    /// reported together, before anything is written.
    /// </summary>
    public void SetPeers(NetworkId network, IReadOnlyCollection<OverlayPeer> peers)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(peers);
        lock (GateOf(network))
        {
            var sandbox = Require(network);
            ThrowIfProblems(sandbox, peers);
            var entries = ReadPeers(sandbox);
            ApplyPeers(sandbox, entries, entries.PlanExactly(peers), peers.Count);
        }
    }

    /// <summary>Adds one peer, or moves its address to this MAC and VTEP; a MAC no address uses any more is removed.</summary>
    public void AddPeer(NetworkId network, OverlayPeer peer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(peer);
        lock (GateOf(network))
        {
            var sandbox = Require(network);
            ThrowIfProblems(sandbox, [peer]);
            var entries = sandbox.Peers ??= ReadPeers(sandbox);
            ApplyPeers(sandbox, entries, entries.PlanAdd(peer), 1);
        }
    }

    /// <summary>
    /// Removes one peer: its neighbour if its address still points to its MAC, its MAC's entries if no other
    /// address (the other family of a dual-stack endpoint) uses it. Idempotent.
    /// </summary>
    public void RemovePeer(NetworkId network, OverlayPeer peer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(peer);
        lock (GateOf(network))
        {
            var sandbox = Require(network);
            var entries = sandbox.Peers ??= ReadPeers(sandbox);
            ApplyPeers(sandbox, entries, entries.PlanRemove(peer), 1);
        }
    }

    /// <summary>The peers programmed in the kernel (all three entries present), ordered by address.</summary>
    public IReadOnlyList<OverlayPeer> Peers(NetworkId network)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (GateOf(network))
        {
            var sandbox = Require(network);
            var entries = ReadPeers(sandbox);
            sandbox.Peers = entries;
            return entries.Peers();
        }
    }

    private static void ThrowIfProblems(Sandbox sandbox, IReadOnlyCollection<OverlayPeer> peers)
    {
        var problems = PeerEntries.Problems(peers, sandbox.LocalVtep);
        if (problems.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"peers of network {sandbox.Network.Short}: {string.Join("; ", problems)}");
        }
    }

    /// <summary>
    /// Reads the three tables of vxlan0. vxlan0's own FDB entries carry a destination (NDA_DST), br0's never;
    /// br0's static ones are NUD_NOARP (its local ones, the port's own MAC, are NUD_PERMANENT).
    /// </summary>
    private PeerEntries ReadPeers(Sandbox sandbox)
    {
        var rtnl = sandbox.Namespace.Rtnl;
        var vxlan = LinkRef.ByIndex(sandbox.VxlanIndex);
        if (sandbox.Sealed && _sealed is { } path)
        {
            // seal0: the MACs' nodes and the neighbours are the sealed path's; br0's entries on the port are the kernel's.
            var (sealedNeighbours, sealedRemotes) = path.Read(sandbox.Network);
            return new PeerEntries(sealedNeighbours, sealedRemotes, Forwarded(sandbox, rtnl.Fdb.List(vxlan)));
        }

        var neighbours = rtnl.Neighbours.List(vxlan, AddressFamily.InterNetwork)
            .Concat(rtnl.Neighbours.List(vxlan, AddressFamily.InterNetworkV6))
            .Where(n => n.MacAddress is not null && (n.State & NeighbourState.Permanent) != 0)
            .Select(n => (n.Address, n.MacAddress!));
        var fdb = rtnl.Fdb.List(vxlan);
        var remotes = fdb.Where(e => e.Destination is not null && e.MasterIndex is null).Select(e => (e.MacAddress, e.Destination!));
        return new PeerEntries(neighbours, remotes, Forwarded(sandbox, fdb));
    }

    private static IEnumerable<System.Net.NetworkInformation.PhysicalAddress> Forwarded(Sandbox sandbox, IEnumerable<FdbEntry> fdb) => fdb
        .Where(e => e.MasterIndex == sandbox.BridgeIndex && (e.State & NeighbourState.NoArp) != 0 && (e.State & NeighbourState.Permanent) == 0)
        .Select(e => e.MacAddress);

    /// <summary>
    /// Writes a plan in pipelined batches and records it in the mirror. On a failure the mirror is dropped (the
    /// kernel applied the other writes: a pipeline is not a transaction) and read again before the next change.
    /// </summary>
    private void ApplyPeers(Sandbox sandbox, PeerEntries entries, IReadOnlyList<PeerOperation> plan, int peers)
    {
        if (plan.Count == 0)
        {
            sandbox.Peers = entries;
            return;
        }

        long started = Stopwatch.GetTimestamp();
        int vxlan = sandbox.VxlanIndex;
        var pipeline = sandbox.Namespace.Rtnl.Pipeline();
        foreach (var operation in plan)
        {
            if (sandbox.Sealed && SealedOperation(sandbox, operation))
            {
                continue;
            }

            switch (operation.Kind)
            {
                case PeerOperationKind.SetRemote:
                    pipeline.SetFdb(vxlan, operation.Mac, operation.Vtep, NeighbourFlags.Self);
                    break;
                case PeerOperationKind.SetForward:
                    pipeline.SetFdb(vxlan, operation.Mac, null, NeighbourFlags.Master, NeighbourState.NoArp);
                    break;
                case PeerOperationKind.SetNeighbour:
                    pipeline.SetStaticNeighbour(vxlan, operation.Address!, operation.Mac);
                    break;
                case PeerOperationKind.DeleteNeighbour:
                    pipeline.DeleteNeighbour(vxlan, operation.Address!);
                    break;
                case PeerOperationKind.DeleteForward:
                    pipeline.DeleteFdb(vxlan, operation.Mac, NeighbourFlags.Master);
                    break;
                case PeerOperationKind.DeleteRemote:
                    pipeline.DeleteFdb(vxlan, operation.Mac, NeighbourFlags.Self);
                    break;
            }
        }

        try
        {
            pipeline.Execute();
        }
        catch (BerthException)
        {
            sandbox.Peers = null;
            throw;
        }

        entries.Apply(plan);
        sandbox.Peers = entries;
        OverlayLog.PeersProgrammed(_logger, sandbox.Name, plan.Count, peers, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>On seal0 a MAC's node and a neighbour go to the sealed path (in order with the kernel's writes: before br0's entry); true when done.</summary>
    private bool SealedOperation(Sandbox sandbox, PeerOperation operation)
    {
        var path = _sealed!;
        switch (operation.Kind)
        {
            case PeerOperationKind.SetRemote:
                path.SetRemote(sandbox.Network, operation.Mac, operation.Vtep!);
                return true;
            case PeerOperationKind.DeleteRemote:
                path.DeleteRemote(sandbox.Network, operation.Mac);
                return true;
            case PeerOperationKind.SetNeighbour:
                path.SetNeighbour(sandbox.Network, operation.Address!, operation.Mac);
                return true;
            case PeerOperationKind.DeleteNeighbour:
                path.DeleteNeighbour(sandbox.Network, operation.Address!);
                return true;
            default:
                return false;
        }
    }
}
