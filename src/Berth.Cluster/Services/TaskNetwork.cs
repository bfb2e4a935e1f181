using System.Collections.Immutable;

namespace Berth.Cluster.Services;

/// <summary>One <c>--network</c> of a service: its target (a network id once stored), aliases and driver options.</summary>
public sealed record TaskNetwork(string Target)
{
    public ImmutableArray<string> Aliases { get; init; } = [];

    public ImmutableSortedDictionary<string, string> DriverOpts { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
}
