using Berth.Core.Errors;
using Berth.Linux.Sockets;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// One receiving thread of the node's encrypted overlays: its socket of the steered group, the sessions whose lane it
/// is (the kernel hands it their datagrams, whatever their source port), and its own opener — so a session's replay
/// window and partial frames live in one thread and need no lock. A datagram of another lane is dropped, counted:
/// a session is only ever opened by its lane, so a replay through another source port meets the same window.
/// </summary>
internal sealed class SealedReceiver : IDisposable
{
    /// <summary>Datagrams taken per recvmmsg.</summary>
    private const int ReceiveBatch = 64;

    /// <summary>Entries taken per recvmmsg when the kernel coalesces (each up to 64 KiB: a sender's whole GSO batch).</summary>
    private const int CoalescedBatch = 16;

    private readonly SealedListener _listener;
    private readonly UdpTunnelSocket _socket;
    private readonly FrameOpener _opener;
    private readonly int _lane;
    private readonly bool _coalesced;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;

    public SealedReceiver(SealedListener listener, UdpTunnelSocket socket, int lane)
    {
        _listener = listener;
        _socket = socket;
        _lane = lane;
        _opener = new FrameOpener(listener.Local.Bytes.AsSpan());
        _coalesced = socket.TryCoalesceReceives();
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = $"seal receive {lane}" };
    }

    public void Start() => _thread.Start();

    public void SetRing(OverlayKeyRing ring) => _opener.SetRing(ring);

    private void ReceiveLoop()
    {
        var token = _stopping.Token;
        using var batch = _coalesced
            ? new UdpReceiveBatch(CoalescedBatch, UdpReceiveBatch.CoalescedBufferSize)
            : new UdpReceiveBatch(ReceiveBatch, _listener.DatagramSize + 1);
        try
        {
            while (!token.IsCancellationRequested)
            {
                int count = _socket.Receive(batch, token);
                for (int i = 0; i < count; i++)
                {
                    DeliverEntry(batch.Datagram(i), batch.SegmentSize(i), batch.SenderAddress(i));
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // closing
        }
        catch (ObjectDisposedException) when (token.IsCancellationRequested)
        {
            // closing
        }
        catch (Exception e) when (e is BerthException or IOException or InvalidOperationException)
        {
            SealedLog.LoopFailed(_listener.Logger, $"receive {_lane}", e.Message);
        }
    }

    /// <summary>One received entry: a datagram, or several of <paramref name="segmentSize"/> bytes back to back (the last maybe shorter).</summary>
    private void DeliverEntry(ReadOnlySpan<byte> entry, int segmentSize, ReadOnlySpan<byte> sender)
    {
        if (segmentSize <= 0 || segmentSize >= entry.Length)
        {
            Deliver(entry, sender);
            return;
        }

        for (int offset = 0; offset < entry.Length; offset += segmentSize)
        {
            Deliver(entry.Slice(offset, Math.Min(segmentSize, entry.Length - offset)), sender);
        }
    }

    private void Deliver(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> sender)
    {
        if (!SealedHeader.TryRead(datagram, out var header) || _listener.Find(header.Vni) is not { } network)
        {
            _listener.Unclaimed.Count(OpenResult.Malformed);
            return;
        }

        if (!network.Peers.Members.Contains(SealedVtep.KeyOf(sender)))
        {
            Interlocked.Increment(ref network.Counters.DroppedNonMember);
            return;
        }

        if (SealedHeader.LaneOf(header.Session, _listener.Lanes) != _lane)
        {
            Interlocked.Increment(ref network.Counters.DroppedMisrouted);
            return;
        }

        var result = _opener.Open(datagram, sender, out _, out var frame);
        network.Counters.Count(result);
        if (result == OpenResult.Delivered)
        {
            network.Write(_lane, frame);
        }
    }

    /// <summary>Stops the thread and closes the socket.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _socket.Dispose();
        if (_thread.IsAlive && _thread != Thread.CurrentThread)
        {
            _thread.Join();
        }

        _opener.Dispose();
        _stopping.Dispose();
    }
}
