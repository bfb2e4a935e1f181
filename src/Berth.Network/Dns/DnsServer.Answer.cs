namespace Berth.Network.Dns;

public sealed partial class DnsServer
{
    /// <summary>
    /// Answers what the registry knows at once. Returns null with <paramref name="forward"/> set when the
    /// query must go upstream, and null with nothing set when the datagram deserves no answer.
    /// </summary>
    internal byte[]? AnswerLocally(string containerId, ReadOnlySpan<byte> message, DnsTransport transport, out DnsQuery? forward)
    {
        forward = null;
        switch (DnsQuery.TryParse(message, out DnsQuery? query, out ushort id))
        {
            case DnsQueryStatus.Unreadable:
                return null;
            case DnsQueryStatus.Malformed:
                return DnsResponse.HeaderOnly(id, DnsResponseCode.FormatError);
            case DnsQueryStatus.NotImplemented:
                return DnsResponse.HeaderOnly(id, DnsResponseCode.NotImplemented);
        }

        DnsLookup lookup = Registry.Lookup(containerId, query!.Question);
        switch (lookup.Kind)
        {
            case DnsLookupKind.Answered:
            case DnsLookupKind.NoData:
                return DnsResponse.Build(query, DnsResponseCode.NoError, lookup.Answers, transport);
            case DnsLookupKind.NotFound when ForwarderFor(containerId).Upstreams.IsEmpty:
                return DnsResponse.Build(query, DnsResponseCode.NameError, [], transport);
            default:
                forward = query;
                return null;
        }
    }

    /// <summary>The whole answer to one message, forwarding when needed; null when it deserves none.</summary>
    internal async Task<byte[]?> AnswerAsync(string containerId, byte[] message, DnsTransport transport, CancellationToken cancellationToken)
    {
        byte[]? local = AnswerLocally(containerId, message, transport, out DnsQuery? forward);
        return forward is null ? local : await ForwarderFor(containerId).ForwardAsync(forward, message, transport, cancellationToken);
    }
}
