using System.Collections.Immutable;

namespace Berth.Cluster.Services;

/// <summary>
/// What a user asks of a service (Docker's <c>ServiceSpec</c>, typed): kept whole, so <c>service inspect</c> shows it
/// back and <c>service update</c> (which sends the whole spec) changes only what the user changed.
/// </summary>
public sealed record ServiceSpec
{
    public required string Name { get; init; }

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public required TaskSpec Task { get; init; }

    public ServiceMode Mode { get; init; } = ServiceMode.Replicated(1);

    /// <summary>Null: Docker's defaults (<see cref="UpdatePolicy.Default"/>) when an update runs.</summary>
    public UpdatePolicy? Update { get; init; }

    public UpdatePolicy? Rollback { get; init; }

    public ServiceEndpointSpec Endpoint { get; init; } = new();
}
