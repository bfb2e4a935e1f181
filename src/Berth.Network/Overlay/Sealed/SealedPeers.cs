using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// The remote endpoints of one encrypted network, as the data path reads them: MAC → the node it lives on, the
/// neighbour entries (address → MAC, kept so <see cref="OverlaySandboxes.Peers"/> reads them back as for VXLAN) and the
/// distinct nodes (members: whose datagrams are accepted and who get broadcasts). Immutable: replaced whole, read
/// without locks.
/// </summary>
internal sealed class SealedPeers
{
    public static readonly SealedPeers Empty = new(ImmutableDictionary<ulong, SealedVtep>.Empty, ImmutableDictionary<IPAddress, PhysicalAddress>.Empty);

    public SealedPeers(ImmutableDictionary<ulong, SealedVtep> remotes, ImmutableDictionary<IPAddress, PhysicalAddress> neighbours)
    {
        Remotes = remotes;
        Neighbours = neighbours;
        Nodes = [.. remotes.Values.DistinctBy(v => v.Key)];
        Members = [.. remotes.Values.Select(v => v.Key)];
    }

    public ImmutableDictionary<ulong, SealedVtep> Remotes { get; }

    public ImmutableDictionary<IPAddress, PhysicalAddress> Neighbours { get; }

    /// <summary>The distinct nodes behind the remotes (derived: always made through the constructor, never copied).</summary>
    public ImmutableArray<SealedVtep> Nodes { get; }

    /// <summary>The same nodes by key, for the receive path.</summary>
    public ImmutableHashSet<UInt128> Members { get; }

    /// <summary>A MAC as a 48-bit number (the first six bytes of <paramref name="mac"/>).</summary>
    public static ulong MacKey(ReadOnlySpan<byte> mac) =>
        ((ulong)mac[0] << 40) | ((ulong)mac[1] << 32) | ((ulong)mac[2] << 24) | ((ulong)mac[3] << 16) | ((ulong)mac[4] << 8) | mac[5];

    public static PhysicalAddress MacOf(ulong key)
    {
        var bytes = new byte[6];
        for (int i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(key >> (40 - (8 * i)));
        }

        return new PhysicalAddress(bytes);
    }
}
