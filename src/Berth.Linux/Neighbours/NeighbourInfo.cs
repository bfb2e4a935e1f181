using System.Net;
using System.Net.NetworkInformation;

namespace Berth.Linux.Neighbours;

/// <summary>An ARP/NDP entry as the kernel reports it.</summary>
public sealed record NeighbourInfo(int LinkIndex, IPAddress Address, PhysicalAddress? MacAddress, NeighbourState State, NeighbourFlags Flags);
