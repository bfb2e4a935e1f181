namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// A frame being put together from its chunks, in a buffer of the opener's largest frame. Chunks but the last
/// are placed at index × <see cref="ChunkLength"/>. A last chunk that arrives before any other is kept at the
/// end of the buffer until a non-last chunk tells its place: that place is never after the end position
/// ((count−1) × chunk + last ≤ buffer), and the non-last chunks all lie before it, so nothing overlaps.
/// </summary>
internal sealed class PartialFrame(int maxFrame)
{
    public byte[] Buffer { get; } = new byte[maxFrame];

    /// <summary>The session holding it; null while it is free.</summary>
    public OpenerSession? Owner { get; set; }

    /// <summary>Where it sits in its owner's <see cref="OpenerSession.Partials"/>.</summary>
    public int Slot { get; set; }

    /// <summary>The counter of its chunk 0.</summary>
    public ulong FrameId { get; set; }

    public int Count { get; set; }

    /// <summary>Plaintext bytes of every chunk but the last; 0 until one of those arrived.</summary>
    public int ChunkLength { get; set; }

    /// <summary>Plaintext bytes of the last chunk; 0 until it arrived.</summary>
    public int LastLength { get; set; }

    /// <summary>Bit i set: chunk i is in place.</summary>
    public ulong Received { get; set; }

    /// <summary>When it was started, in the opener's own count: the oldest is evicted first.</summary>
    public ulong Started { get; set; }

    public bool Complete => Received == (Count == SealedHeader.MaxChunks ? ulong.MaxValue : (1UL << Count) - 1);

    public int Length => ((Count - 1) * ChunkLength) + LastLength;

    public void Start(OpenerSession owner, int slot, ulong frameId, int count, ulong started)
    {
        Owner = owner;
        Slot = slot;
        FrameId = frameId;
        Count = count;
        ChunkLength = 0;
        LastLength = 0;
        Received = 0;
        Started = started;
    }
}
