namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>How one probe of a node's port ended, as a connect sees it.</summary>
public enum ClusterPortOutcome
{
    /// <summary>TCP: the handshake completed. UDP: no ICMP port unreachable came back (a drop cannot be told from a quiet listener).</summary>
    Answered,

    /// <summary>A TCP reset or ICMP port unreachable: the node is there, nothing listens on the port.</summary>
    Refused,

    /// <summary>Nothing within the probe's time: dropped on the way or at the node (or the node is gone).</summary>
    NoAnswer,

    /// <summary>ICMP host or network unreachable (or no ARP answer): no way to the address.</summary>
    Unreachable,
}
