using Berth.Core.Errors;
using Berth.Core.Ports;

namespace Berth.Network.Firewall;

/// <summary>
/// <c>berthd --firewall none</c>: Berth touches no firewall at all; masquerade, isolation and internal networks are
/// then the administrator's business. <see cref="HasBridge"/> says true so reconcile has nothing to restore.
/// </summary>
public sealed class DisabledFirewall : INetworkFirewall
{
    public static DisabledFirewall Instance { get; } = new();

    public void Initialize()
    {
    }

    public FirewallHealth Inspect() => FirewallHealth.Disabled;

    public void AddBridge(BridgeRules rules) => ArgumentNullException.ThrowIfNull(rules);

    public void RemoveBridge(BridgeRules rules) => ArgumentNullException.ThrowIfNull(rules);

    public bool HasBridge(BridgeRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return true;
    }

    public void AddEntry(string iface) => ArgumentException.ThrowIfNullOrEmpty(iface);

    public void RemoveEntry(string iface) => ArgumentException.ThrowIfNullOrEmpty(iface);

    public void AddPorts(IReadOnlyCollection<PublishedPort> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        if (ports.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"cannot publish {string.Join(", ", ports)}: berthd runs with --firewall none, so there is no port forwarding; start berthd with --firewall nftables or leave out -p/-P");
        }
    }

    public void RemovePorts(IReadOnlyCollection<PublishedPort> ports) => ArgumentNullException.ThrowIfNull(ports);

    public void ReplacePorts(IReadOnlyCollection<PublishedPort> ports) => ArgumentNullException.ThrowIfNull(ports);

    public void RemoveAll()
    {
    }
}
