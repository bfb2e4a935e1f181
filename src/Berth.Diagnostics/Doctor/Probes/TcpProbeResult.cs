namespace Berth.Diagnostics.Doctor.Probes;

/// <summary>What a TCP connect from the host found.</summary>
public enum TcpProbeResult
{
    /// <summary>The handshake completed: something listens there.</summary>
    Connected,

    /// <summary>The peer answered with a reset: it is reachable, nothing listens on that port.</summary>
    Refused,

    /// <summary>No answer within the timeout: the packets are dropped, or nobody has the address (no ARP/ND answer).</summary>
    NoAnswer,

    /// <summary>The kernel gave up at once: no route, or the neighbour is known to be unreachable.</summary>
    Unreachable,
}
