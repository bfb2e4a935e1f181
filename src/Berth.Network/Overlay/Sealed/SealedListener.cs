using System.Collections.Concurrent;
using Berth.Linux.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// This node's end of the encrypted overlays: a steered group of UDP sockets on its tunnel address (the data path port
/// + 1) shared by every encrypted network, one receiving thread per socket (a lane, one per core), each opening the
/// sessions the kernel steers to it and writing their frames into the network's TAP. A datagram is dropped, and
/// counted, unless its VNI is an encrypted network here, its sender a node with endpoints on that network, its key
/// generation in the ring, its tag authentic and its counter new.
/// </summary>
internal sealed class SealedListener : IDisposable
{
    private readonly Linux.Namespaces.NetworkNamespace _host;
    private readonly ConcurrentDictionary<uint, SealedNetwork> _byVni;
    private readonly SealedReceiver[] _receivers;
    private volatile OverlayKeyRing? _ring;

    /// <param name="sockets">The steered group (<see cref="SealedHeader.SteeringWordOffset"/>): socket i gets lane i's sessions.</param>
    public SealedListener(Linux.Namespaces.NetworkNamespace host, UdpTunnelSocket[] sockets, SealedVtep local, ushort port, int datagramSize,
        ConcurrentDictionary<uint, SealedNetwork> byVni, TimeProvider time, TimeSpan grace, ILogger logger)
    {
        _host = host;
        Local = local;
        Port = port;
        DatagramSize = datagramSize;
        Time = time;
        Grace = grace;
        Logger = logger;
        _byVni = byVni;
        _receivers = [.. sockets.Select((socket, lane) => new SealedReceiver(this, socket, lane))];
        foreach (var receiver in _receivers)
        {
            receiver.Start();
        }
    }

    public SealedVtep Local { get; }

    public ushort Port { get; }

    /// <summary>Receiving threads, and so the lanes a session can be steered to.</summary>
    public int Lanes => _receivers.Length;

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
        foreach (var receiver in _receivers)
        {
            receiver.SetRing(ring ?? new OverlayKeyRing([]));
        }
    }

    /// <summary>The encrypted network of <paramref name="vni"/> on this node, if any.</summary>
    public SealedNetwork? Find(uint vni) => _byVni.GetValueOrDefault(vni);

    /// <summary>
    /// A sender for one thread, with a socket of its own on this node's tunnel address, whose sessions aim at the
    /// peers' lane <paramref name="lane"/> (so equal nodes' senders spread over all their receivers).
    /// </summary>
    public SealedSender NewSender(int lane) => new(this, _host.BindUdpTunnel(Local.Address, 0), lane % Lanes, Lanes);

    public void Dispose()
    {
        foreach (var receiver in _receivers)
        {
            receiver.Dispose();
        }
    }
}
