namespace Berth.Network.Drivers;

/// <summary>The bridge driver's option keys (Docker's).</summary>
public static class BridgeOptions
{
    public const string Name = "com.docker.network.bridge.name";
    public const string EnableIcc = "com.docker.network.bridge.enable_icc";
    public const string EnableIpMasquerade = "com.docker.network.bridge.enable_ip_masquerade";
    public const string HostBindingIpv4 = "com.docker.network.bridge.host_binding_ipv4";
    public const string DefaultBridge = "com.docker.network.bridge.default_bridge";
    public const string Mtu = "com.docker.network.driver.mtu";

    public static readonly IReadOnlyCollection<string> Known = [Name, EnableIcc, EnableIpMasquerade, HostBindingIpv4, DefaultBridge, Mtu];

    /// <summary>Driver-state keys: what the driver decided and must find again.</summary>
    internal const string StateBridge = "bridge";
}
