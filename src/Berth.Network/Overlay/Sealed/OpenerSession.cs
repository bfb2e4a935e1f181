using System.Security.Cryptography;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// What a <see cref="FrameOpener"/> keeps of one authentic sender session: its derived key, its replay window,
/// its frames still missing chunks, and its place in the opener's least-recently-used list.
/// </summary>
internal sealed class OpenerSession(OpenerSessionKey id, OverlayKey ringKey, AesGcm aes) : IDisposable
{
    /// <summary>Frames of one session being reassembled at once; a fifth evicts the oldest (its chunks were lost).</summary>
    public const int MaxPartialFrames = 4;

    public OpenerSessionKey Id { get; } = id;

    /// <summary>The ring key the session's key was derived from: the session goes when the ring no longer holds it.</summary>
    public OverlayKey RingKey { get; } = ringKey;

    public AesGcm Aes { get; } = aes;

    public ReplayWindow Window { get; } = new();

    /// <summary>Frames being reassembled, null where free.</summary>
    public PartialFrame?[] Partials { get; } = new PartialFrame?[MaxPartialFrames];

    /// <summary>Towards the most recently used session.</summary>
    public OpenerSession? Newer { get; set; }

    /// <summary>Towards the least recently used session.</summary>
    public OpenerSession? Older { get; set; }

    public PartialFrame? Find(ulong frameId)
    {
        foreach (var partial in Partials)
        {
            if (partial is not null && partial.FrameId == frameId)
            {
                return partial;
            }
        }

        return null;
    }

    public void Dispose() => Aes.Dispose();
}
