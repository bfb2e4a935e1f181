using System.Net;
using System.Net.NetworkInformation;

namespace Berth.Linux.Neighbours;

/// <summary>
/// A bridge forwarding-database entry (AF_BRIDGE neighbour). On a VXLAN device,
/// <see cref="Destination"/> is the remote VTEP; the all-zero MAC with a destination floods to it.
/// </summary>
public sealed record FdbEntry(int LinkIndex, PhysicalAddress MacAddress, IPAddress? Destination, NeighbourState State, NeighbourFlags Flags, int? MasterIndex, ushort? Vlan);
