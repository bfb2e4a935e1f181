using Berth.Linux.Neighbours;

namespace Berth.Linux.Events;

/// <summary>An ARP/NDP entry appeared, changed or went away.</summary>
public sealed record NeighbourEvent(bool Removed, NeighbourInfo Neighbour) : NetlinkEvent;
