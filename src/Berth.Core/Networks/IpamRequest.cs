using System.Collections.Immutable;

namespace Berth.Core.Networks;

/// <summary>The <c>IPAM</c> block of a network create request, kept as sent.</summary>
public sealed record IpamRequest
{
    public const string DefaultDriver = "default";

    /// <summary>The IPAM driver; only <c>default</c> exists.</summary>
    public string Driver { get; init; } = DefaultDriver;

    /// <summary>Null when the client sent none (docker-py checks for null), empty when it sent <c>{}</c>.</summary>
    public ImmutableDictionary<string, string>? Options { get; init; }

    public ImmutableArray<IpamPoolRequest> Config { get; init; } = [];
}
