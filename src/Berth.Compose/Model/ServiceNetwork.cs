using System.Collections.Immutable;

namespace Berth.Compose.Model;

/// <summary>A service's attachment to one network of the project (the map form of <c>networks:</c>).</summary>
/// <param name="Network">The network's key in the file (not its Docker name).</param>
public sealed record ServiceNetwork(string Network)
{
    public ImmutableArray<string> Aliases { get; init; } = [];

    public string? Ipv4Address { get; init; }

    public string? Ipv6Address { get; init; }

    public int Priority { get; init; }

    public string? MacAddress { get; init; }
}
