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
        Span<byte> buffer = stackalloc byte[DnsWire.ClassicUdpLimit];
        int fast = TryAnswerFast(containerId, message, transport, buffer);
        if (fast > 0)
        {
            return buffer[..fast].ToArray();
        }

        return AnswerGenerally(containerId, message, transport, out forward);
    }

    private byte[]? AnswerGenerally(string containerId, ReadOnlySpan<byte> message, DnsTransport transport, out DnsQuery? forward)
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

    /// <summary>
    /// <see cref="AnswerLocally(string, ReadOnlySpan{byte}, DnsTransport, out DnsQuery?)"/> into
    /// <paramref name="destination"/> (at least <see cref="DnsWire.MaxUdpPayload"/> bytes for UDP): the
    /// answer's length, 0 when it must be forwarded or deserves none.
    /// </summary>
    internal int AnswerLocally(string containerId, ReadOnlySpan<byte> message, DnsTransport transport, Span<byte> destination, out DnsQuery? forward)
    {
        int fast = TryAnswerFast(containerId, message, transport, destination);
        if (fast > 0)
        {
            forward = null;
            return fast;
        }

        byte[]? answer = AnswerGenerally(containerId, message, transport, out forward);
        if (answer is null || answer.Length > destination.Length)
        {
            return 0;
        }

        answer.CopyTo(destination);
        return answer.Length;
    }

    /// <summary>The whole answer to one message, forwarding when needed; null when it deserves none.</summary>
    internal async Task<byte[]?> AnswerAsync(string containerId, byte[] message, DnsTransport transport, CancellationToken cancellationToken)
    {
        byte[]? local = AnswerLocally(containerId, message, transport, out DnsQuery? forward);
        return forward is null ? local : await ForwarderFor(containerId).ForwardAsync(forward, message, transport, cancellationToken);
    }
}
