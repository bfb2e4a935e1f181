namespace Berth.Core.Networks;

/// <summary>Driver names as Docker spells them.</summary>
public static class NetworkDrivers
{
    public const string Bridge = "bridge";
    public const string Host = "host";

    /// <summary>The driver of the predefined <c>none</c> network.</summary>
    public const string Null = "null";
    public const string Macvlan = "macvlan";
    public const string Overlay = "overlay";
}
