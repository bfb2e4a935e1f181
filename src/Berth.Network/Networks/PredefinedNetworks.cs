using System.Collections.Immutable;
using Berth.Core.Networks;
using Berth.Network.Drivers;

namespace Berth.Network.Networks;

/// <summary>bridge, host and none: made by berthd, never removed, shaped like Docker's.</summary>
public static class PredefinedNetworks
{
    public const string Bridge = "bridge";
    public const string Host = "host";
    public const string None = "none";

    /// <summary>The default bridge's device.</summary>
    public const string DefaultBridgeDevice = "berth0";

    public static bool IsPredefinedName(string name) => name is Bridge or Host or None;

    public static NetworkConfig BridgeConfig { get; } = new()
    {
        Name = Bridge,
        Driver = NetworkDrivers.Bridge,
        Options = new Dictionary<string, string>
        {
            [BridgeOptions.DefaultBridge] = "true",
            [BridgeOptions.EnableIcc] = "true",
            [BridgeOptions.EnableIpMasquerade] = "true",
            [BridgeOptions.HostBindingIpv4] = "0.0.0.0",
            [BridgeOptions.Name] = DefaultBridgeDevice,
            [BridgeOptions.Mtu] = "1500",
        }.ToImmutableDictionary(),
    };

    public static NetworkConfig HostConfig { get; } = new() { Name = Host, Driver = NetworkDrivers.Host };

    public static NetworkConfig NoneConfig { get; } = new() { Name = None, Driver = NetworkDrivers.Null };
}
