using System.Net;

namespace Berth.Network.Ports;

/// <summary>
/// Where a container's published ports lead: its addresses on the network that carries them, and that network's
/// <c>com.docker.network.bridge.host_binding_ipv4</c> (the host address for bindings that name none).
/// </summary>
public sealed record PortTarget(string Network, IPAddress? IPv4, IPAddress? IPv6, IPAddress? DefaultHostIp = null);
