namespace Berth.Network.Drivers;

/// <summary>Where a driver's networks exist (libnetwork's <c>DataScope</c>): on one host, or across a swarm.</summary>
public enum NetworkDriverScope
{
    Local,
    Swarm,
}
