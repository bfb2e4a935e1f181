using System.Net;
using System.Net.NetworkInformation;
using Berth.Core.Networks;
using Berth.Linux.Links;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// One encrypted network on this node: its multi-queue TAP (seal0 in the sandbox; the device lives exactly as long as
/// this object), its VNI, its remote endpoints and its counters. A reader thread per queue (one per core) moves the
/// flows the kernel puts on its queue from the TAP to the wire; the listener's receiving threads write opened frames
/// into the TAP, lane i through queue i.
/// </summary>
internal sealed partial class SealedNetwork : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TapQueue[] _queues;
    private Thread[] _readers = [];
    private volatile SealedPeers _peers = SealedPeers.Empty;

    public SealedNetwork(NetworkId network, uint vni, TapQueue[] queues, SealedListener listener)
    {
        ArgumentOutOfRangeException.ThrowIfZero(queues.Length);
        Network = network;
        Vni = vni;
        _queues = queues;
        Listener = listener;
    }

    public NetworkId Network { get; }

    public uint Vni { get; }

    /// <summary>The TAP's ifindex in the sandbox.</summary>
    public int TapIndex => _queues[0].Index;

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
        _readers = [.. _queues.Select((queue, lane) => new Thread(() => ReadLoop(queue, lane)) { IsBackground = true, Name = $"seal {Network.Short} {lane}" })];
        foreach (var reader in _readers)
        {
            reader.Start();
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        foreach (var reader in _readers)
        {
            if (reader != Thread.CurrentThread)
            {
                reader.Join();
            }
        }

        // Closing the last descriptor of a non-persistent TAP deletes the device: the network is cut off, never open.
        foreach (var queue in _queues)
        {
            queue.Dispose();
        }

        _stopping.Dispose();
    }

    /// <summary>
    /// One opened frame into the TAP, by receiving lane <paramref name="lane"/>'s queue (one writer per queue). A refusal
    /// (the device taken down, a frame the kernel finds bad) or a TAP closed under it (the network is closing) loses that
    /// frame, counted, never the receive loop that serves every network.
    /// </summary>
    public void Write(int lane, ReadOnlySpan<byte> frame)
    {
        try
        {
            _queues[lane % _queues.Length].Write(frame);
        }
        catch (Exception e) when (e is Core.Errors.BerthException or ObjectDisposedException)
        {
            Interlocked.Increment(ref Counters.DroppedKernel);
        }
    }
}
