namespace Berth.Network.Dns;

/// <summary>
/// The addresses one name has on one network, ready to be copied into an answer: IPv4 and IPv6 addresses
/// each concatenated in wire order, sorted by address. The turns rotate the order per query (round robin).
/// </summary>
internal sealed class DnsAddressSet(byte[] v4, byte[] v6)
{
    public const int IPv4Length = 4;
    public const int IPv6Length = 16;

    public byte[] V4 { get; } = v4;

    public byte[] V6 { get; } = v6;

    /// <summary>Queries answered so far, per family: where the next answer's rotation starts.</summary>
    public int TurnV4;

    public int TurnV6;
}
