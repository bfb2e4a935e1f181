using System.Collections.Immutable;

namespace Berth.Compose.Model;

/// <summary>A named volume of the project (top-level <c>volumes:</c>).</summary>
public sealed record ComposeVolume
{
    public required string Key { get; init; }

    /// <summary>The Docker name: <c>name:</c>, the key for an external volume, else <c>PROJECT_KEY</c>.</summary>
    public required string Name { get; init; }

    public bool External { get; init; }

    public string? Driver { get; init; }

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
}
