using System.Net;

namespace Berth.Network.Dns;

/// <summary>
/// One resource record of an answer. A and AAAA carry <see cref="Address"/>, PTR carries
/// <see cref="Target"/>; any other type read from the wire keeps its raw <see cref="Data"/>.
/// </summary>
public sealed record DnsRecord(string Name, DnsRecordType Type, uint Ttl, IPAddress? Address = null, string? Target = null)
{
    public ReadOnlyMemory<byte> Data { get; init; }

    public static DnsRecord ForAddress(string name, IPAddress address, uint ttl) => new(
        name,
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? DnsRecordType.A : DnsRecordType.Aaaa,
        ttl,
        Address: address);

    public static DnsRecord ForPointer(string name, string target, uint ttl) => new(name, DnsRecordType.Ptr, ttl, Target: target);
}
