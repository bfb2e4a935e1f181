using System.Collections.Immutable;

namespace Berth.Runtime.Engine;

/// <summary>The cgroup-based container commands: pause and unpause (freezer), update (limits and restart policy), top, stats.</summary>
public interface IContainerCgroups
{
    Task PauseAsync(string idOrName, CancellationToken cancellationToken = default);

    Task UnpauseAsync(string idOrName, CancellationToken cancellationToken = default);

    /// <summary>Changes the container's limits (live when it runs) and restart policy; returns Docker's warnings.</summary>
    Task<ImmutableArray<string>> UpdateAsync(string idOrName, ContainerUpdate update, CancellationToken cancellationToken = default);

    /// <summary><c>docker top</c>: <c>ps</c> with <paramref name="psArgs"/>, the rows of the container's processes.</summary>
    Task<(ImmutableArray<string> Titles, ImmutableArray<ImmutableArray<string>> Processes)> TopAsync(string idOrName, string psArgs, CancellationToken cancellationToken = default);

    /// <summary>A sampler for one stats stream of the container (dispose it when the stream ends).</summary>
    IContainerStatsSampler OpenStats(string idOrName);

    /// <summary>Docker's State.OOMKilled: recorded at the last exit, or counted live in a running container's cgroup.</summary>
    bool OomKilled(ContainerRecord record);
}
