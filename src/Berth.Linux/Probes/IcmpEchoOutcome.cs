namespace Berth.Linux.Probes;

/// <summary>How one ICMP echo ended.</summary>
public enum IcmpEchoOutcome
{
    /// <summary>The target answered.</summary>
    Reply,

    /// <summary>No answer within the time given.</summary>
    Timeout,

    /// <summary>The packet was larger than the sending interface's MTU and, with DF set, was not sent (EMSGSIZE).</summary>
    TooBigToSend,

    /// <summary>A router or tunnel on the way answered "fragmentation needed" (ICMP 3/4) with its next-hop MTU.</summary>
    FragmentationNeeded,

    /// <summary>ICMP destination unreachable (other codes): no route, host or network unreachable.</summary>
    Unreachable,
}
