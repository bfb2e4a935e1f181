namespace Berth.Network.Dns;

/// <summary>How the registry judged a question.</summary>
public enum DnsLookupKind
{
    /// <summary>Answered from the registry.</summary>
    Answered,

    /// <summary>The name is a container's on a shared network, but it has no record of that type: NOERROR, no answers.</summary>
    NoData,

    /// <summary>Not a name the asking container can see: forward it (or NXDOMAIN without upstreams).</summary>
    NotFound,
}
