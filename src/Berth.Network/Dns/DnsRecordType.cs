namespace Berth.Network.Dns;

/// <summary>The record types the embedded resolver answers or must recognise (RFC 1035 §3.2.2, RFC 3596, RFC 6891).</summary>
public enum DnsRecordType : ushort
{
    A = 1,
    Cname = 5,
    Ptr = 12,
    Mx = 15,
    Txt = 16,
    Aaaa = 28,
    Srv = 33,
    Opt = 41,
}
