using System.Collections.Immutable;

namespace Berth.Compose.Model;

/// <summary>One entry of <c>ipam.config</c>.</summary>
public sealed record ComposeIpamPool
{
    public string? Subnet { get; init; }

    public string? IpRange { get; init; }

    public string? Gateway { get; init; }

    public ImmutableSortedDictionary<string, string> AuxAddresses { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
}
