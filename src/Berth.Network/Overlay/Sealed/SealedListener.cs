using System.Collections.Concurrent;
using Berth.Core.Errors;
using Berth.Linux.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// This node's end of the encrypted overlays: one UDP socket on its tunnel address (the data path port + 1) shared by
/// every encrypted network, and the thread that opens what arrives and writes it into the network's TAP. A datagram is
/// dropped, and counted, unless its VNI is an encrypted network here, its sender a node with endpoints on that network,
/// its key generation in the ring, its tag authentic and its counter new.
/// </summary>
internal sealed class SealedListener : IDisposable
{
    /// <summary>Datagrams taken per recvmmsg.</summary>
    private const int ReceiveBatch = 64;

    private readonly Linux.Namespaces.NetworkNamespace _host;
    private readonly ConcurrentDictionary<uint, SealedNetwork> _byVni;
    private readonly CancellationTokenSource _stopping = new();
    private readonly FrameOpener _opener;
    private readonly Thread _receiver;
    private volatile OverlayKeyRing? _ring;

    public SealedListener(Linux.Namespaces.NetworkNamespace host, UdpTunnelSocket socket, SealedVtep local, ushort port, int datagramSize,
        ConcurrentDictionary<uint, SealedNetwork> byVni, TimeProvider time, TimeSpan grace, ILogger logger)
    {
        _host = host;
        Socket = socket;
        Local = local;
        Port = port;
        DatagramSize = datagramSize;
        Time = time;
        Grace = grace;
        Logger = logger;
        _byVni = byVni;
        _opener = new FrameOpener(local.Bytes.AsSpan());
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "seal receive" };
        _receiver.Start();
    }

    public UdpTunnelSocket Socket { get; }

    public SealedVtep Local { get; }

    public ushort Port { get; }

    /// <summary>The largest UDP payload the underlay carries unfragmented.</summary>
    public int DatagramSize { get; }

    public TimeProvider Time { get; }

    public TimeSpan Grace { get; }

    public ILogger Logger { get; }

    /// <summary>Datagrams dropped before any network was found for them (malformed, or a VNI with no encrypted network here).</summary>
    public SealedCounters Unclaimed { get; } = new();

    public OverlayKeyRing? Ring => _ring;

    public void SetRing(OverlayKeyRing? ring)
    {
        _ring = ring;
        _opener.SetRing(ring ?? new OverlayKeyRing([]));
    }

    /// <summary>A sender for one thread, with a socket of its own on this node's tunnel address.</summary>
    public SealedSender NewSender() => new(this, _host.BindUdpTunnel(Local.Address, 0));

    private void ReceiveLoop()
    {
        var token = _stopping.Token;
        using var batch = new UdpReceiveBatch(ReceiveBatch, DatagramSize + 1);
        try
        {
            while (!token.IsCancellationRequested)
            {
                int count = Socket.Receive(batch, token);
                for (int i = 0; i < count; i++)
                {
                    Deliver(batch.Datagram(i), batch.SenderAddress(i));
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
            SealedLog.LoopFailed(Logger, "receive", e.Message);
        }
    }

    private void Deliver(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> sender)
    {
        if (!SealedHeader.TryRead(datagram, out var header))
        {
            Unclaimed.Count(OpenResult.Malformed);
            return;
        }

        if (!_byVni.TryGetValue(header.Vni, out var network))
        {
            Unclaimed.Count(OpenResult.Malformed);
            return;
        }

        if (!network.Peers.Members.Contains(SealedVtep.KeyOf(sender)))
        {
            Interlocked.Increment(ref network.Counters.DroppedNonMember);
            return;
        }

        var result = _opener.Open(datagram, sender, out _, out var frame);
        network.Counters.Count(result);
        if (result == OpenResult.Delivered)
        {
            Write(network, frame);
        }
    }

    /// <summary>
    /// One frame into the network's TAP. A refusal (its device taken down, a frame the kernel finds bad) or a TAP closed
    /// under it (the network is closing) loses that frame, counted, never the receive loop that serves every network.
    /// </summary>
    private static void Write(SealedNetwork network, ReadOnlySpan<byte> frame)
    {
        try
        {
            network.Tap.Write(frame);
        }
        catch (Exception e) when (e is BerthException or ObjectDisposedException)
        {
            Interlocked.Increment(ref network.Counters.DroppedKernel);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _receiver.Join();
        Socket.Dispose();
        _opener.Dispose();
        _stopping.Dispose();
    }
}
