using Berth.Core.Ports;

namespace Berth.Network.Firewall;

/// <summary>
/// The firewall backend of bridge networks: masquerade, isolation between networks, internal networks and
/// <c>enable_icc=false</c>. Implementations keep per-network state as set elements in their own tables, so adding or
/// removing a network never re-renders a ruleset. Every method is synchronous and safe to call from any thread.
/// </summary>
public interface INetworkFirewall
{
    /// <summary>
    /// Creates the base tables, chains and sets if they are missing or have another shape; tables that already have
    /// the right shape are left as they are, elements included (a daemon restart keeps every network's rules).
    /// </summary>
    void Initialize();

    /// <summary>Installs the rules of one bridge network in one transaction. Adding the same rules again changes nothing.</summary>
    void AddBridge(BridgeRules rules);

    /// <summary>Removes the rules of one bridge network in one transaction; rules that are not there are ignored.</summary>
    void RemoveBridge(BridgeRules rules);

    /// <summary>Whether every rule of the network is in place (reconcile after a restart re-adds it when not).</summary>
    bool HasBridge(BridgeRules rules);

    /// <summary>
    /// Lets routed traffic through <paramref name="iface"/>, an interface that is no bridge of a Berth network but carries
    /// traffic into one (the routing mesh's entry): other tools' forward chains that would drop it get Berth's narrow
    /// accept rules for it, as for a bridge. Adding it again changes nothing.
    /// </summary>
    void AddEntry(string iface);

    /// <summary>Undoes <see cref="AddEntry"/>; an interface that is not there is ignored.</summary>
    void RemoveEntry(string iface);

    /// <summary>Publishes ports (one DNAT map element each) in one transaction; an element already there is an error.</summary>
    void AddPorts(IReadOnlyCollection<PublishedPort> ports);

    /// <summary>Withdraws published ports in one transaction; ports that are not there are ignored.</summary>
    void RemovePorts(IReadOnlyCollection<PublishedPort> ports);

    /// <summary>Makes the published ports exactly these, atomically (berthd's start: leftovers of a crash go).</summary>
    void ReplacePorts(IReadOnlyCollection<PublishedPort> ports);

    /// <summary>What the kernel has of this firewall now, for <c>berth doctor</c>; reads only, changes nothing.</summary>
    FirewallHealth Inspect();

    /// <summary>Deletes everything this firewall made (for tests and uninstall); repeating it is harmless.</summary>
    void RemoveAll();
}
