using System.Net;
using System.Net.Sockets;

namespace Berth.Core.Ports;

/// <summary>
/// A port as published: the host address (<c>0.0.0.0</c>/<c>::</c>: every address of that family) and port that
/// lead to a container port at the container's address on the network carrying its published ports.
/// </summary>
public sealed record PublishedPort(ContainerPort Port, IPAddress HostIp, ushort HostPort, IPAddress ContainerAddress)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsIPv6 => HostIp.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>Bound to every address of its family rather than one.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool AnyAddress => HostIp.Equals(IPAddress.Any) || HostIp.Equals(IPAddress.IPv6Any);

    public override string ToString() =>
        $"{(IsIPv6 ? $"[{HostIp}]" : HostIp.ToString())}:{HostPort}->{Port}";
}
