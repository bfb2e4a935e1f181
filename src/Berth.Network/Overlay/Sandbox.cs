using Berth.Core.Networks;
using Berth.Linux.Namespaces;

namespace Berth.Network.Overlay;

/// <summary>
/// One open overlay sandbox: its namespace (with an rtnetlink socket inside it), the indexes of br0 and
/// vxlan0, and the mirror of its peer entries. Used only under its network's gate.
/// </summary>
internal sealed class Sandbox(NetworkId network, NetworkNamespace ns) : IDisposable
{
    public NetworkId Network { get; } = network;

    public string Name { get; } = OverlaySandboxes.NamespaceName(network);

    public NetworkNamespace Namespace { get; } = ns;

    /// <summary>br0's index; 0 until looked up (and again after a repair re-created it).</summary>
    public int BridgeIndex { get; set; }

    /// <summary>The tunnel port's index (vxlan0, or seal0 of an encrypted network); 0 until looked up.</summary>
    public int VxlanIndex { get; set; }

    /// <summary>The tunnel port is seal0 (the network is encrypted): peers' MACs and neighbours live in the sealed path, not in the kernel.</summary>
    public bool Sealed { get; set; }

    /// <summary>vxlan0's source address, as the kernel reports it.</summary>
    public System.Net.IPAddress? LocalVtep { get; set; }

    /// <summary>What the kernel holds of the peers, as last read or written; null: read it before the next change.</summary>
    public PeerEntries? Peers { get; set; }

    public void Dispose() => Namespace.Dispose();

    public override string ToString() => $"overlay sandbox {Name} of network {Network.Short}";
}
