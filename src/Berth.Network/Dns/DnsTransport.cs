namespace Berth.Network.Dns;

/// <summary>How a query arrived; it decides the size limit of the answer and how it is forwarded.</summary>
public enum DnsTransport
{
    Udp,
    Tcp,
}
