namespace Berth.Linux.Neighbours;

/// <summary>NDA_* attributes (linux/neighbour.h) and the bridge family.</summary>
internal static class NeighbourAttributes
{
    internal const ushort Destination = 1;
    internal const ushort LinkLayerAddress = 2;
    internal const ushort Vlan = 5;
    internal const ushort Port = 6;
    internal const ushort Vni = 7;
    internal const ushort IfIndex = 8;
    internal const ushort Master = 9;

    internal const byte FamilyBridge = 7; // AF_BRIDGE
}
