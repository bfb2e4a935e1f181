using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// The user-space data path of encrypted overlays on this node (see docs/encrypted-overlay.md): per network a TAP in its
/// sandbox whose frames are sealed with AES-256-GCM and sent over UDP, and a group of sockets that opens what other
/// nodes send. Both ends run one worker per core: a reader per TAP queue, a receiver per socket of the group.
/// It never sends a frame it cannot seal: without a key ring the frame is dropped. The socket is bound with the first
/// encrypted network and closed after the last. Thread-safe; one network's open, close and peer changes come serialised
/// by its caller (the overlay sandboxes' gate).
/// </summary>
public sealed class SealedPath : IDisposable
{
    /// <summary>The TAP in an encrypted network's sandbox, in place of vxlan0.</summary>
    public const string TapName = "seal0";

    /// <summary>Sealed datagrams go to the data path port + 1 (4790 by default): the kernel's VXLAN sockets hold the port itself.</summary>
    public const int PortOffset = 1;

    /// <summary>At most this many workers each way, however many cores: past that, more threads only add switching.</summary>
    public const int MaxWorkers = 8;

    private readonly NetworkNamespace _host;
    private readonly TimeProvider _time;
    private readonly TimeSpan _grace;
    private readonly ILogger _logger;
    private readonly int _workers;
    private readonly ConcurrentDictionary<NetworkId, SealedNetwork> _networks = new();
    private readonly ConcurrentDictionary<uint, SealedNetwork> _byVni = new();
    private readonly Lock _listenerGate = new();
    private SealedListener? _listener;
    private OverlayKeyRing? _ring;

    /// <param name="host">The underlay's namespace: the socket is bound there.</param>
    /// <param name="grace">How old a key must be before it seals (every node accepts it by then).</param>
    /// <param name="workers">Reader threads per network and receiving threads per node; by default one per core.</param>
    public SealedPath(NetworkNamespace host, TimeSpan grace, TimeProvider? time = null, ILogger? logger = null, int? workers = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _workers = workers ?? Math.Clamp(Environment.ProcessorCount, 1, MaxWorkers);
        ArgumentOutOfRangeException.ThrowIfLessThan(_workers, 1);
        _host = host;
        _grace = grace;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The cluster's key ring (null: none, nothing is sealed or opened).</summary>
    public void SetRing(OverlayKeyRing? ring)
    {
        lock (_listenerGate)
        {
            _ring = ring;
            _listener?.SetRing(ring);
        }
    }

    /// <summary>
    /// Opens the network's TAP in <paramref name="sandbox"/> (closing one it had) and starts moving its frames; returns
    /// the TAP's index there. Its peers start empty.
    /// </summary>
    public int Open(NetworkId network, uint vni, NetworkNamespace sandbox, IPAddress vtep, ushort dataPathPort)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(vtep);
        Close(network);
        SealedNetwork opened;
        lock (_listenerGate)
        {
            // Under the gate: a Close of the last other network cannot close the listener between here and the add.
            var listener = ListenerFor(vtep, (ushort)(dataPathPort + PortOffset));
            TapQueue[] queues;
            try
            {
                queues = sandbox.OpenTapQueues(TapName, TapOffloads.All, _workers);
            }
            catch (BerthException) when (_networks.IsEmpty)
            {
                _listener = null;
                listener.Dispose();
                throw;
            }

            opened = new SealedNetwork(network, vni, queues, listener);
            if (!_byVni.TryAdd(vni, opened))
            {
                opened.Dispose();
                throw new BerthException(ErrorKind.Conflict, $"VNI {vni} of network {network.Short} is already used by another encrypted network on this node");
            }

            _networks[network] = opened;
        }

        opened.Start();
        SealedLog.Opened(_logger, TapName, network.Short, sandbox.ToString(), vni, opened.Listener.Port, opened.Listener.DatagramSize);
        return opened.TapIndex;
    }

    /// <summary>Whether the network's TAP is open (a restarted berthd has none until it opens it again).</summary>
    public bool IsOpen(NetworkId network) => _networks.ContainsKey(network);

    /// <summary>Stops the network's frames and closes its TAP (the kernel deletes the device). Nothing if not open.</summary>
    public void Close(NetworkId network)
    {
        if (!_networks.TryRemove(network, out var sealedNetwork))
        {
            return;
        }

        _byVni.TryRemove(new KeyValuePair<uint, SealedNetwork>(sealedNetwork.Vni, sealedNetwork));
        sealedNetwork.Dispose();
        SealedLog.Closed(_logger, TapName, network.Short);
        lock (_listenerGate)
        {
            if (_networks.IsEmpty && _listener is { } listener)
            {
                _listener = null;
                listener.Dispose();
            }
        }
    }

    public void SetRemote(NetworkId network, PhysicalAddress mac, IPAddress vtep) => Require(network).SetRemote(mac, vtep);

    public void DeleteRemote(NetworkId network, PhysicalAddress mac) => Require(network).DeleteRemote(mac);

    public void SetNeighbour(NetworkId network, IPAddress address, PhysicalAddress mac) => Require(network).SetNeighbour(address, mac);

    public void DeleteNeighbour(NetworkId network, IPAddress address) => Require(network).DeleteNeighbour(address);

    /// <summary>The network's remote MACs (with their nodes) and neighbour entries; empty when it is not open.</summary>
    public (IEnumerable<(IPAddress Address, PhysicalAddress Mac)> Neighbours, IEnumerable<(PhysicalAddress Mac, IPAddress Vtep)> Remotes) Read(NetworkId network)
    {
        var peers = _networks.TryGetValue(network, out var found) ? found.Peers : SealedPeers.Empty;
        return (peers.Neighbours.Select(n => (n.Key, n.Value)), peers.Remotes.Select(r => (SealedPeers.MacOf(r.Key), r.Value.Address)));
    }

    /// <summary>The network's counters (frames sealed, delivered, and each kind of drop); null when it is not open here.</summary>
    public ImmutableSortedDictionary<string, long>? Counters(NetworkId network) =>
        _networks.TryGetValue(network, out var found) ? found.Counters.Snapshot() : null;

    public void Dispose()
    {
        foreach (var network in _networks.Keys)
        {
            Close(network);
        }
    }

    private SealedNetwork Require(NetworkId network) => _networks.TryGetValue(network, out var found) ? found
        : throw new BerthException(ErrorKind.NotFound, $"encrypted network {network.Short} has no open TAP on this node; ensure its sandbox first");

    /// <summary>The socket on <paramref name="vtep"/>:<paramref name="port"/>; bound now, or again when the node's address changed.</summary>
    /// <remarks>Under <see cref="_listenerGate"/>.</remarks>
    private SealedListener ListenerFor(IPAddress vtep, ushort port)
    {
        if (_listener is { } current && current.Local.Address.Equals(vtep) && current.Port == port)
        {
            return current;
        }

        if (_listener is not null && !_networks.IsEmpty)
        {
            throw new BerthException(ErrorKind.Conflict,
                $"encrypted overlays here use {_listener.Local.Address}:{_listener.Port}; a network cannot use {vtep}:{port} beside them");
        }

        _listener?.Dispose();
        var local = SealedVtep.Of(vtep);
        int datagram = UnderlayMtu.Of(_host, vtep) - local.UnderlayHeaders;
        var sockets = _host.BindSteeredUdpTunnels(vtep, port, _workers, SealedHeader.SteeringWordOffset);
        _listener = new SealedListener(_host, sockets, local, port, datagram, _byVni, _time, _grace, _logger);
        _listener.SetRing(_ring);
        SealedLog.Listening(_logger, $"{vtep}:{port}", _workers);
        return _listener;
    }
}
