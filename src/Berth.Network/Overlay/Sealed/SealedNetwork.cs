using System.Net;
using System.Net.NetworkInformation;
using Berth.Core.Networks;
using Berth.Linux.Links;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// One encrypted network on this node: its TAP (seal0 in the sandbox; the device lives exactly as long as this
/// object), its VNI, its remote endpoints and its counters. The reader thread moves frames from the TAP to the wire;
/// the listener's thread moves opened frames into the TAP.
/// </summary>
internal sealed partial class SealedNetwork : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _reader;
    private volatile SealedPeers _peers = SealedPeers.Empty;

    public SealedNetwork(NetworkId network, uint vni, TapQueue tap, SealedListener listener)
    {
        Network = network;
        Vni = vni;
        Tap = tap;
        Listener = listener;
    }

    public NetworkId Network { get; }

    public uint Vni { get; }

    public TapQueue Tap { get; }

    public SealedListener Listener { get; }

    public SealedCounters Counters { get; } = new();

    public SealedPeers Peers => _peers;

    /// <summary>Guards writers of <see cref="Peers"/> (the driver, under the network's gate anyway); readers take the snapshot.</summary>
    private readonly Lock _peersGate = new();

    public void SetRemote(PhysicalAddress mac, IPAddress vtep)
    {
        lock (_peersGate)
        {
            _peers = new SealedPeers(_peers.Remotes.SetItem(SealedPeers.MacKey(mac.GetAddressBytes()), SealedVtep.Of(vtep)), _peers.Neighbours);
        }
    }

    public void DeleteRemote(PhysicalAddress mac)
    {
        lock (_peersGate)
        {
            _peers = new SealedPeers(_peers.Remotes.Remove(SealedPeers.MacKey(mac.GetAddressBytes())), _peers.Neighbours);
        }
    }

    public void SetNeighbour(IPAddress address, PhysicalAddress mac)
    {
        lock (_peersGate)
        {
            _peers = new SealedPeers(_peers.Remotes, _peers.Neighbours.SetItem(address, mac));
        }
    }

    public void DeleteNeighbour(IPAddress address)
    {
        lock (_peersGate)
        {
            _peers = new SealedPeers(_peers.Remotes, _peers.Neighbours.Remove(address));
        }
    }

    public void Start()
    {
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"seal {Network.Short}" };
        _reader.Start();
    }

    public void Dispose()
    {
        _stopping.Cancel();
        if (_reader is not null && _reader != Thread.CurrentThread)
        {
            _reader.Join();
        }

        // Closing the only descriptor of a non-persistent TAP deletes the device: the network is cut off, never open.
        Tap.Dispose();
        _stopping.Dispose();
    }
}
