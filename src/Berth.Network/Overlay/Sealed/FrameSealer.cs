using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// Seals the frames of one direction of one node pair (this node's VTEP → a peer's) for one sender session:
/// a fresh random 64-bit session id, the key <see cref="SealedKeys"/> derives for it, and a counter that only
/// grows, so a (key, nonce) pair is never used twice. Used by one sending thread; make a new one (a new session)
/// when the ring's send key changes.
/// </summary>
/// <remarks>
/// Chunking rule (what <see cref="FrameOpener"/> relies on to place chunks): every chunk but the last carries
/// exactly <c>datagramSize − Overhead</c> bytes of plaintext and the last the rest, so chunk i starts at
/// i × (the length of any non-last chunk). Chunk i of a frame whose first counter is c has counter c + i.
/// </remarks>
public sealed class FrameSealer : IDisposable
{
    /// <summary>Bytes of the GCM nonce (NIST SP 800-38D §8.2.1 deterministic construction): 4 zero bytes, then the counter.</summary>
    internal const int NonceSize = 12;

    internal const int NonceCounterOffset = 4;

    private readonly AesGcm _aes;
    private ulong _counter;
    private bool _exhausted;

    /// <param name="lane">The peer's receiving thread this session's datagrams are meant for (<see cref="SealedHeader.LaneOf"/>), of <paramref name="lanes"/>.</param>
    public FrameSealer(OverlayKey key, ReadOnlySpan<byte> localVtep, ReadOnlySpan<byte> peerVtep, int lane = 0, int lanes = 1)
    {
        ArgumentNullException.ThrowIfNull(key);
        SealedKeys.CheckVtep(localVtep, nameof(localVtep));
        SealedKeys.CheckVtep(peerVtep, nameof(peerVtep));

        Key = key;
        Span<byte> session = stackalloc byte[sizeof(ulong)];
        RandomNumberGenerator.Fill(session);
        Session = SealedHeader.SessionIn(BinaryPrimitives.ReadUInt64BigEndian(session), lane, lanes);

        Span<byte> derived = stackalloc byte[SealedKeys.KeySize];
        SealedKeys.Derive(key.Key.AsSpan(), Session, localVtep, peerVtep, derived);
        _aes = new AesGcm(derived, SealedHeader.TagSize);
        CryptographicOperations.ZeroMemory(derived);
    }

    /// <summary>The ring key this sealer derives from; the engine makes a new sealer when the send key is another.</summary>
    public OverlayKey Key { get; }

    /// <summary>This sealer's session id (random).</summary>
    internal ulong Session { get; }

    /// <summary>The counter the next chunk gets.</summary>
    internal ulong Counter
    {
        get => _counter;
        set
        {
            // Tests only: to reach the end of the counter space.
            _counter = value;
            _exhausted = false;
        }
    }

    /// <summary>
    /// Seals <paramref name="frame"/> (<c>virtio_net_hdr</c> and Ethernet frame; opaque here) for <paramref name="vni"/>
    /// into datagrams of at most <paramref name="datagramSize"/> bytes: datagram i at
    /// <c>output[(i × datagramSize)..]</c>, its length in <c>lengths[i]</c>. Returns how many. Allocates nothing.
    /// </summary>
    public int Seal(ReadOnlySpan<byte> frame, uint vni, int datagramSize, Span<byte> output, Span<int> lengths)
    {
        if (frame.IsEmpty)
        {
            throw new ArgumentException("an empty frame cannot be sealed", nameof(frame));
        }

        if (datagramSize <= SealedHeader.Overhead)
        {
            throw new ArgumentOutOfRangeException(nameof(datagramSize), datagramSize, $"a datagram must hold more than the {SealedHeader.Overhead} bytes of header and tag");
        }

        if (vni > SealedHeader.MaxVni)
        {
            throw new ArgumentOutOfRangeException(nameof(vni), vni, "a VNI has 24 bits");
        }

        var chunkSize = datagramSize - SealedHeader.Overhead;
        var count = (frame.Length + chunkSize - 1) / chunkSize;
        if (count > SealedHeader.MaxChunks)
        {
            throw new ArgumentException($"a frame of {frame.Length} bytes needs {count} datagrams of {datagramSize} bytes; at most {SealedHeader.MaxChunks} are allowed", nameof(frame));
        }

        var lastSize = frame.Length - ((count - 1) * chunkSize);
        if (lengths.Length < count || output.Length < ((count - 1L) * datagramSize) + SealedHeader.Overhead + lastSize)
        {
            throw new ArgumentException($"a frame of {frame.Length} bytes needs {count} datagrams of {datagramSize} bytes; output or lengths is too small");
        }

        // Counters first..first+count-1 must not wrap: a repeated counter would repeat a nonce.
        if (_exhausted || (ulong)(count - 1) > ulong.MaxValue - _counter)
        {
            throw new InvalidOperationException("this sender session has used all its counters; make a new FrameSealer (a new session)");
        }

        Span<byte> nonce = stackalloc byte[NonceSize];
        nonce[..NonceCounterOffset].Clear();
        for (var i = 0; i < count; i++)
        {
            var counter = _counter + (ulong)i;
            var plain = frame.Slice(i * chunkSize, i == count - 1 ? lastSize : chunkSize);
            var datagram = output.Slice(i * datagramSize, SealedHeader.Overhead + plain.Length);
            var header = datagram[..SealedHeader.Size];
            SealedHeader.Write(header, (byte)Key.Generation, (byte)i, (byte)count, vni, Session, counter);
            BinaryPrimitives.WriteUInt64BigEndian(nonce[NonceCounterOffset..], counter);
            _aes.Encrypt(nonce, plain, datagram.Slice(SealedHeader.Size, plain.Length), datagram[(SealedHeader.Size + plain.Length)..], header);
            lengths[i] = datagram.Length;
        }

        var last = _counter + (ulong)(count - 1);
        _exhausted = last == ulong.MaxValue;
        _counter = last + 1;
        return count;
    }

    public void Dispose() => _aes.Dispose();
}
