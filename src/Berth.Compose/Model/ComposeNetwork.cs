using System.Collections.Immutable;

namespace Berth.Compose.Model;

/// <summary>A network of the project (top-level <c>networks:</c>, or the implicit <c>default</c>).</summary>
public sealed record ComposeNetwork
{
    /// <summary>The key in the file.</summary>
    public required string Key { get; init; }

    /// <summary>The Docker name: <c>name:</c>, or <c>external.name</c>, or the key itself for an external network, else <c>PROJECT_KEY</c>.</summary>
    public required string Name { get; init; }

    public string? Driver { get; init; }

    public ImmutableSortedDictionary<string, string> DriverOpts { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public ComposeIpam? Ipam { get; init; }

    /// <summary>Made elsewhere: never created nor removed by the project, must exist at <c>up</c>.</summary>
    public bool External { get; init; }

    public bool Internal { get; init; }

    public bool Attachable { get; init; }

    public bool EnableIPv6 { get; init; }

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
}
