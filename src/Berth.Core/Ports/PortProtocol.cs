namespace Berth.Core.Ports;

/// <summary>The transport protocol of a container port (<c>80/tcp</c>, <c>53/udp</c>).</summary>
public enum PortProtocol
{
    Tcp,
    Udp,
}
