using System.Collections.Immutable;

namespace Berth.Core.Networks;

/// <summary>
/// A network as the user asked for it (the desired configuration). <see cref="Options"/> and
/// <see cref="Ipam"/> are echoed back exactly as sent: clients (compose) compare them.
/// </summary>
public sealed record NetworkConfig
{
    public required string Name { get; init; }

    /// <summary>bridge, macvlan, host, null (shown as "none"), overlay.</summary>
    public string Driver { get; init; } = NetworkDrivers.Bridge;

    public string Scope { get; init; } = "local";

    public bool Internal { get; init; }

    public bool Attachable { get; init; }

    public bool Ingress { get; init; }

    public bool EnableIPv6 { get; init; }

    public bool ConfigOnly { get; init; }

    /// <summary>The network whose configuration this one takes (<c>--config-from</c>), or null.</summary>
    public string? ConfigFrom { get; init; }

    public ImmutableDictionary<string, string> Options { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    public IpamRequest Ipam { get; init; } = new();
}
