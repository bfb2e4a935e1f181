using System.Collections.Immutable;

namespace Berth.Compose.Model;

/// <summary><c>ipam:</c> of a network.</summary>
public sealed record ComposeIpam
{
    public string? Driver { get; init; }

    public ImmutableArray<ComposeIpamPool> Config { get; init; } = [];
}
