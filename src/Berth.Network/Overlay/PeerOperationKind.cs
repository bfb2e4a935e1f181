namespace Berth.Network.Overlay;

/// <summary>One kernel entry of a peer to write or remove (see <see cref="PeerEntries"/>).</summary>
internal enum PeerOperationKind
{
    /// <summary>vxlan0's own FDB: the MAC is behind this remote VTEP (<c>bridge fdb replace MAC dev vxlan0 dst VTEP self permanent</c>).</summary>
    SetRemote,

    /// <summary>br0's FDB: the MAC is behind the vxlan0 port (<c>bridge fdb replace MAC dev vxlan0 master static</c>).</summary>
    SetForward,

    /// <summary>vxlan0's neighbour table, which its proxy answers ARP/ND from (<c>ip neigh replace IP lladdr MAC dev vxlan0 nud permanent</c>).</summary>
    SetNeighbour,

    DeleteNeighbour,

    DeleteForward,

    DeleteRemote,
}
