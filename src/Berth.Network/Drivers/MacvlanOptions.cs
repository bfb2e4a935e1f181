namespace Berth.Network.Drivers;

/// <summary>The macvlan driver's option keys (Docker's).</summary>
public static class MacvlanOptions
{
    public const string Parent = "parent";
    public const string Mode = "macvlan_mode";
    public const string Mtu = "com.docker.network.driver.mtu";

    /// <summary>Berth's own: the host's address on a macvlan "shim" of its own on the parent, through which it reaches the containers.</summary>
    public const string HostAddress = "berth.macvlan.host_address";

    public static readonly IReadOnlyCollection<string> Known = [Parent, Mode, Mtu, HostAddress];

    /// <summary>Driver state: the parent link used, and whether Berth made it (a VLAN sub-interface or an internal placeholder).</summary>
    internal const string StateParent = "parent";
    internal const string StateParentCreated = "parent_created";

    /// <summary>Driver state: the name of the host shim (only with <see cref="HostAddress"/>).</summary>
    internal const string StateHostShim = "host_shim";
}
