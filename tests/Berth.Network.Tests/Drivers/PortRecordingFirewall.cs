using Berth.Core.Ports;
using Berth.Network.Firewall;

namespace Berth.Network.Tests.Drivers;

/// <summary>A firewall that only remembers which ports are forwarded.</summary>
internal sealed class PortRecordingFirewall : INetworkFirewall
{
    public List<PublishedPort> Ports { get; } = [];

    public void Initialize()
    {
    }

    public FirewallHealth Inspect() => FirewallHealth.Disabled;

    public void AddBridge(BridgeRules rules)
    {
    }

    public void RemoveBridge(BridgeRules rules)
    {
    }

    public bool HasBridge(BridgeRules rules) => true;

    public void AddPorts(IReadOnlyCollection<PublishedPort> ports) => Ports.AddRange(ports);

    public void RemovePorts(IReadOnlyCollection<PublishedPort> ports) => Ports.RemoveAll(ports.Contains);

    public void ReplacePorts(IReadOnlyCollection<PublishedPort> ports)
    {
        Ports.Clear();
        Ports.AddRange(ports);
    }

    public void AddEntry(string iface)
    {
    }

    public void RemoveEntry(string iface)
    {
    }

    public void RemoveAll() => Ports.Clear();
}
