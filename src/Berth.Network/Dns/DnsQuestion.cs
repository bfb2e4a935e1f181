namespace Berth.Network.Dns;

/// <summary>The one question of a query: a name (without the final dot, as sent), a type and a class.</summary>
public readonly record struct DnsQuestion(string Name, DnsRecordType Type, ushort Class = DnsWire.ClassInternet);
