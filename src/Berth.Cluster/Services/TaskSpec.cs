using System.Collections.Immutable;

namespace Berth.Cluster.Services;

/// <summary>Docker's <c>TaskTemplate</c>: what every task of a service runs, where, and how it restarts.</summary>
public sealed record TaskSpec
{
    public required ContainerTaskSpec Container { get; init; }

    public TaskResources Resources { get; init; } = new();

    /// <summary>Null: Docker's default (restart on any exit, 5 s delay, no limit).</summary>
    public TaskRestartPolicy? Restart { get; init; }

    public TaskPlacement Placement { get; init; } = new();

    /// <summary>The networks in the order given; <see cref="TaskNetwork.Target"/> is a network id once the service is stored.</summary>
    public ImmutableArray<TaskNetwork> Networks { get; init; } = [];

    /// <summary><c>--log-driver</c> and its options; null: the daemon's.</summary>
    public TaskLogDriver? LogDriver { get; init; }

    /// <summary>Bumped by <c>service update --force</c>: a changed value redeploys every task.</summary>
    public ulong ForceUpdate { get; init; }
}

public sealed record TaskLogDriver(string Name)
{
    public ImmutableSortedDictionary<string, string> Options { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
}
