namespace Berth.Network.Dns;

/// <summary>What reading a query gave: something to answer, something to refuse with a code, or nothing at all.</summary>
public enum DnsQueryStatus
{
    /// <summary>A standard query with one question.</summary>
    Ok,

    /// <summary>Too short for a header, or a response: dropped, there is no one to answer.</summary>
    Unreadable,

    /// <summary>A header but no usable question: answered with FORMERR.</summary>
    Malformed,

    /// <summary>An opcode other than QUERY: answered with NOTIMP.</summary>
    NotImplemented,
}
