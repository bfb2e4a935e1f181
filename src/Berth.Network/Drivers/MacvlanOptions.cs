namespace Berth.Network.Drivers;

/// <summary>The macvlan driver's option keys (Docker's).</summary>
public static class MacvlanOptions
{
    public const string Parent = "parent";
    public const string Mode = "macvlan_mode";
    public const string Mtu = "com.docker.network.driver.mtu";

    public static readonly IReadOnlyCollection<string> Known = [Parent, Mode, Mtu];

    /// <summary>Driver state: the parent link used, and whether Berth made it (a VLAN sub-interface or an internal placeholder).</summary>
    internal const string StateParent = "parent";
    internal const string StateParentCreated = "parent_created";
}
