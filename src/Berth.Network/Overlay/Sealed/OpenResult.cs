namespace Berth.Network.Overlay.Sealed;

/// <summary>What <see cref="FrameOpener.Open"/> made of one datagram.</summary>
public enum OpenResult
{
    /// <summary>The datagram completed a frame, which is handed out.</summary>
    Delivered,

    /// <summary>An authentic chunk of a frame still missing others.</summary>
    Pending,

    /// <summary>Not a sealed chunk, or one whose sizes cannot belong to a frame.</summary>
    Malformed,

    /// <summary>Sealed with a key generation the ring does not hold (rotated out, or not learnt yet).</summary>
    UnknownKey,

    /// <summary>The tag did not match: changed on the way, another pair's or another network's datagram, or forged.</summary>
    Unauthentic,

    /// <summary>A counter of this sender session already seen, or older than the replay window.</summary>
    Replayed,
}
