using Berth.Linux.Sockets;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// What one sending thread owns: its own UDP socket on the node's tunnel address (an ephemeral port: receivers know a
/// node by its address, so senders of different networks never wait for each other), a sealer per destination node
/// (each with its own session in the peer's lane <paramref name="lane"/> of <paramref name="lanes"/>; re-made when the
/// ring's send key changes) and the buffers one frame's datagrams are sealed into. Not thread-safe, allocation-free per frame.
/// </summary>
internal sealed class SealedSender(SealedListener listener, UdpTunnelSocket socket, int lane, int lanes) : IDisposable
{
    /// <summary>How often the send key is chosen again from the ring (it changes only with time and rotations).</summary>
    private const long KeyCheckMs = 500;

    private readonly Dictionary<UInt128, FrameSealer> _sealers = [];
    private readonly byte[] _datagrams = new byte[SealedHeader.MaxChunks * listener.DatagramSize];
    private readonly int[] _lengths = new int[SealedHeader.MaxChunks];
    private OverlayKeyRing? _ring;
    private OverlayKey? _key;
    private long _keyChosen;

    /// <summary>Seals <paramref name="frame"/> for <paramref name="node"/> and sends it; false when there is no key to seal with.</summary>
    public bool Send(ReadOnlySpan<byte> frame, uint vni, SealedVtep node)
    {
        if (SendKey() is not { } key)
        {
            return false;
        }

        if (!_sealers.TryGetValue(node.Key, out var sealer) || !sealer.Key.Equals(key))
        {
            sealer?.Dispose();
            sealer = new FrameSealer(key, listener.Local.Bytes.AsSpan(), node.Bytes.AsSpan(), lane, lanes);
            _sealers[node.Key] = sealer;
        }

        int count = sealer.Seal(frame, vni, listener.DatagramSize, _datagrams, _lengths);
        socket.Send(_datagrams, listener.DatagramSize, _lengths.AsSpan(0, count), node.Bytes.AsSpan(), listener.Port);
        return true;
    }

    private OverlayKey? SendKey()
    {
        var ring = listener.Ring;
        long now = Environment.TickCount64;
        if (!ReferenceEquals(ring, _ring) || now - _keyChosen > KeyCheckMs)
        {
            _ring = ring;
            _keyChosen = now;
            _key = ring is null || ring.Keys.IsEmpty ? null : ring.SendKey(listener.Time.GetUtcNow(), listener.Grace);
        }

        return _key;
    }

    public void Dispose()
    {
        foreach (var sealer in _sealers.Values)
        {
            sealer.Dispose();
        }

        _sealers.Clear();
        socket.Dispose();
    }
}
