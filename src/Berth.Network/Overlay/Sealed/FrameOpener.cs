using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// Opens the sealed datagrams arriving at one node: checks each against the ring, the sender session's replay
/// window and its tag, and puts frames back together from their chunks. Used by one receiving thread
/// (<see cref="SetRing"/> may come from any); a delivered frame lies in this opener's buffers until the next
/// <see cref="Open"/>.
/// </summary>
/// <remarks>
/// Invariants:
/// <list type="bullet">
/// <item>Nothing a datagram changes is kept before its tag is checked: a session is cached, its window moved
/// and a frame started only for an authentic chunk, so forged datagrams can evict nothing. (A forged chunk of a
/// frame already started is decrypted into that frame's buffer, but only where no chunk is yet.)</item>
/// <item>The replay window is checked before decrypting and marked after: a replay costs no AES, and a forgery
/// never marks a counter its real datagram will need.</item>
/// <item>Bounded memory: at most <see cref="MaxSessions"/> sessions (least recently used evicted; an evicted
/// session's old datagrams could be replayed once, which needs more than that many live senders) and at most
/// <see cref="MaxPartialFrames"/> frame buffers of <c>maxFrame</c> bytes (oldest evicted).</item>
/// <item>Allocation only for a new session and while the buffer pool fills; a forged datagram costs an
/// exception (AesGcm has no non-throwing decrypt).</item>
/// </list>
/// </remarks>
public sealed partial class FrameOpener : IDisposable
{
    /// <summary>The largest frame by default: the <c>virtio_net_hdr</c> and a 64 KiB GSO super-frame with its Ethernet header, as the engine reads them from the TAP.</summary>
    public const int DefaultMaxFrame = 65550;

    /// <summary>Sender sessions remembered at once (with their derived keys and replay windows).</summary>
    public const int MaxSessions = 1024;

    /// <summary>Frames being put together at once over all sessions, each in a buffer of <c>maxFrame</c> bytes (~4 MiB by default).</summary>
    public const int MaxPartialFrames = 64;

    private readonly byte[] _localVtep;
    private readonly int _maxFrame;

    // A chunk that starts nothing yet (single-chunk frames, first chunks, new sessions) is decrypted here.
    private readonly byte[] _scratch;
    private readonly Dictionary<OpenerSessionKey, OpenerSession> _sessions = new(MaxSessions);
    private readonly List<OpenerSession> _dropping = [];
    private OpenerSession? _newest;
    private OpenerSession? _oldest;

    private OverlayKeyRing? _published;
    private OverlayKeyRing? _ring;

    public FrameOpener(ReadOnlySpan<byte> localVtep, int maxFrame = DefaultMaxFrame)
    {
        SealedKeys.CheckVtep(localVtep, nameof(localVtep));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrame, 1);
        _localVtep = localVtep.ToArray();
        _maxFrame = maxFrame;
        _scratch = new byte[maxFrame];
        _free = new Stack<PartialFrame>(MaxPartialFrames);
    }

    /// <summary>Sessions cached now.</summary>
    internal int SessionCount => _sessions.Count;

    /// <summary>Frames being put together now.</summary>
    internal int PartialFrameCount => _partials.Count - _free.Count;

    /// <summary>
    /// Publishes the ring to open with; safe from any thread. The receiving thread takes it at its next
    /// <see cref="Open"/> and forgets then the sessions whose key the ring no longer holds.
    /// </summary>
    public void SetRing(OverlayKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        Volatile.Write(ref _published, ring);
    }

    /// <summary>
    /// Opens one datagram from <paramref name="senderVtep"/> (the underlay source address's bytes). On
    /// <see cref="OpenResult.Delivered"/>, <paramref name="frame"/> is the whole frame (valid until the next call);
    /// on Delivered and Pending, <paramref name="vni"/> is the authenticated VNI.
    /// </summary>
    public OpenResult Open(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> senderVtep, out uint vni, out ReadOnlySpan<byte> frame)
    {
        vni = 0;
        frame = default;
        SealedKeys.CheckVtep(senderVtep, nameof(senderVtep));
        if (!SealedHeader.TryRead(datagram, out var header))
        {
            return OpenResult.Malformed;
        }

        var ring = Volatile.Read(ref _published);
        if (!ReferenceEquals(ring, _ring))
        {
            Adopt(ring);
        }

        var ringKey = ring?.Find(header.Generation);
        if (ringKey is null)
        {
            return OpenResult.UnknownKey;
        }

        // A sender never seals an empty chunk; its first counter is 0, so an index above the counter names no frame.
        var length = datagram.Length - SealedHeader.Overhead;
        if (length == 0 || length > _maxFrame || header.Index > header.Counter)
        {
            return OpenResult.Malformed;
        }

        var id = OpenerSessionKey.Of(senderVtep, ringKey.Generation, header.Session);
        var result = _sessions.TryGetValue(id, out var session)
            ? OpenKnown(session, header, datagram, out frame)
            : OpenNew(id, ringKey, senderVtep, header, datagram, out frame);
        if (result is OpenResult.Delivered or OpenResult.Pending)
        {
            vni = header.Vni;
        }

        return result;
    }

    public void Dispose()
    {
        while (_oldest is not null)
        {
            Evict(_oldest);
        }
    }

    private OpenResult OpenNew(OpenerSessionKey id, OverlayKey ringKey, ReadOnlySpan<byte> senderVtep, SealedChunkHeader header, ReadOnlySpan<byte> datagram, out ReadOnlySpan<byte> frame)
    {
        frame = default;
        var length = datagram.Length - SealedHeader.Overhead;
        if (!FitsNewFrame(header, length))
        {
            return OpenResult.Malformed;
        }

        Span<byte> derived = stackalloc byte[SealedKeys.KeySize];
        SealedKeys.Derive(ringKey.Key.AsSpan(), header.Session, senderVtep, _localVtep, derived);
        var aes = new AesGcm(derived, SealedHeader.TagSize);
        CryptographicOperations.ZeroMemory(derived);
        if (!TryDecrypt(aes, header, datagram, _scratch.AsSpan(0, length)))
        {
            aes.Dispose();
            return OpenResult.Unauthentic;
        }

        var session = Admit(id, ringKey, aes);
        session.Window.Mark(header.Counter);
        return FromScratch(session, header, length, out frame);
    }

    private OpenResult OpenKnown(OpenerSession session, SealedChunkHeader header, ReadOnlySpan<byte> datagram, out ReadOnlySpan<byte> frame)
    {
        frame = default;
        if (!session.Window.Check(header.Counter))
        {
            return OpenResult.Replayed;
        }

        var length = datagram.Length - SealedHeader.Overhead;
        var partial = header.Count > 1 ? session.Find(header.Counter - header.Index) : null;
        if (partial is null)
        {
            if (!FitsNewFrame(header, length))
            {
                return OpenResult.Malformed;
            }

            if (!TryDecrypt(session.Aes, header, datagram, _scratch.AsSpan(0, length)))
            {
                return OpenResult.Unauthentic;
            }

            Accept(session, header.Counter);
            return FromScratch(session, header, length, out frame);
        }

        if (!TryPlace(partial, header, length, out var offset))
        {
            return OpenResult.Malformed;
        }

        if (!TryDecrypt(session.Aes, header, datagram, partial.Buffer.AsSpan(offset, length)))
        {
            return OpenResult.Unauthentic;
        }

        Accept(session, header.Counter);
        return Placed(partial, header, length, out frame);
    }

    private void Accept(OpenerSession session, ulong counter)
    {
        session.Window.Mark(counter);
        Touch(session);
    }

    private static bool TryDecrypt(AesGcm aes, SealedChunkHeader header, ReadOnlySpan<byte> datagram, Span<byte> plaintext)
    {
        Span<byte> nonce = stackalloc byte[FrameSealer.NonceSize];
        nonce[..FrameSealer.NonceCounterOffset].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[FrameSealer.NonceCounterOffset..], header.Counter);
        var length = plaintext.Length;
        try
        {
            aes.Decrypt(
                nonce,
                datagram.Slice(SealedHeader.Size, length),
                datagram.Slice(SealedHeader.Size + length, SealedHeader.TagSize),
                plaintext,
                datagram[..SealedHeader.Size]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }
}
