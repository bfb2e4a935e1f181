using System.Net;
using System.Text.Json;
using Berth.Core.Networks;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;
using Berth.Network.Overlay;
using Berth.Network.Overlay.Sealed;

namespace Berth.Network.IntegrationTests.Overlay;

/// <summary>One lab host with berthd's overlay data path: its namespace opened as the host, a namespace directory of its own.</summary>
internal sealed class OverlayHost : IDisposable
{
    private readonly NamespaceRunner _runner;
    private readonly OverlayKeyRing _ring;

    /// <param name="ring">The key ring every host of the lab shares (the cluster's, in berthd).</param>
    public OverlayHost(LabHost lab, IPAddress vtep, string namespaceDirectory, NamespaceRunner runner, OverlayKeyRing ring)
    {
        Lab = lab;
        Vtep = vtep;
        _runner = runner;
        _ring = ring;
        Namespaces = new NamespaceManager(namespaceDirectory, runner);
        Host = NetworkNamespace.OpenPath(lab.NetnsPath, runner);
        Sealed = NewSealedPath();
        Sandboxes = new OverlaySandboxes(Host, Namespaces, sealedPath: Sealed);
    }

    /// <summary>The data path of encrypted networks on this host.</summary>
    public SealedPath Sealed { get; private set; }

    public LabHost Lab { get; }

    public IPAddress Vtep { get; }

    public NamespaceManager Namespaces { get; }

    public NetworkNamespace Host { get; private set; }

    public OverlaySandboxes Sandboxes { get; private set; }

    /// <summary>A berthd restart: everything in memory is dropped and made again from nothing.</summary>
    public void Restart()
    {
        Sandboxes.Dispose();
        Sealed.Dispose();
        Host.Dispose();
        Host = NetworkNamespace.OpenPath(Lab.NetnsPath, _runner);
        Sealed = NewSealedPath();
        Sandboxes = new OverlaySandboxes(Host, Namespaces, sealedPath: Sealed);
    }

    /// <summary>A sealed path that seals with the ring's newest key at once (no grace: every host has the ring already).</summary>
    private SealedPath NewSealedPath()
    {
        // Three workers each way, whatever the cores: lanes and queues beyond one are always exercised.
        var path = new SealedPath(Host, TimeSpan.Zero, workers: 3);
        path.SetRing(_ring);
        return path;
    }

    /// <summary>The path of a sandbox's namespace, for <c>nsenter</c>.</summary>
    public string SandboxPath(NetworkId network) => Namespaces.PathOf(OverlaySandboxes.NamespaceName(network));

    /// <summary><c>ip</c> inside a sandbox.</summary>
    public string SandboxIp(NetworkId network, params string[] args) => InNetns.Ip(SandboxPath(network), args);

    /// <summary>Packets vxlan0 of a sandbox received and sent (its counters, read with <c>ip -s -j</c>).</summary>
    public (long Received, long Sent) VxlanPackets(NetworkId network)
    {
        using var json = JsonDocument.Parse(SandboxIp(network, "-s", "-j", "link", "show", OverlaySandboxes.VxlanName));
        var stats = json.RootElement[0].GetProperty("stats64");
        return (stats.GetProperty("rx").GetProperty("packets").GetInt64(), stats.GetProperty("tx").GetProperty("packets").GetInt64());
    }

    /// <summary>Whether a UDP socket on <paramref name="port"/> is open in the host namespace (/proc/net/udp lists it in hex).</summary>
    public bool HasUdpSocket(ushort port) =>
        InNetns.Run(Lab.NetnsPath, "cat", "/proc/net/udp").Output.Contains($":{port:X4} ", StringComparison.Ordinal);

    /// <summary>How many UDP sockets are bound to <paramref name="port"/> in the host namespace.</summary>
    public int UdpSockets(ushort port) =>
        InNetns.Run(Lab.NetnsPath, "cat", "/proc/net/udp").Output.Split('\n').Count(l => l.Contains($":{port:X4} ", StringComparison.Ordinal) && l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var local, ..] && local.EndsWith($":{port:X4}", StringComparison.Ordinal));

    /// <summary>
    /// The host namespace's routes (all tables), addresses and links: the overlays must add nothing to them.
    /// IPv6 link-local lines are left out: the lab's own eth0 finishes its duplicate address detection meanwhile.
    /// </summary>
    public string RoutesAndAddresses() =>
        string.Join('\n', (Lab.Ip("route", "show", "table", "all") + Lab.Ip("-o", "addr", "show") + Lab.Ip("-o", "link", "show"))
            .Split('\n').Where(line => !line.Contains("fe80", StringComparison.Ordinal)));

    public void Dispose()
    {
        try
        {
            foreach (var network in Sandboxes.List())
            {
                Sandboxes.Remove(network);
            }

            Sandboxes.RemoveLeftovers();
        }
        finally
        {
            Sandboxes.Dispose();
            Sealed.Dispose();
            Host.Dispose();
        }
    }
}
