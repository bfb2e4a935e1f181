using System.Collections.Immutable;

namespace Berth.Network.Dns;

/// <summary>The registry's verdict on one question, with the answer records when it has them.</summary>
public sealed record DnsLookup(DnsLookupKind Kind, ImmutableArray<DnsRecord> Answers)
{
    public static readonly DnsLookup NotFound = new(DnsLookupKind.NotFound, []);

    public static readonly DnsLookup NoData = new(DnsLookupKind.NoData, []);
}
