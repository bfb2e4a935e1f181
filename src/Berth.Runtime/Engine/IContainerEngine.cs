namespace Berth.Runtime.Engine;

/// <summary>
/// The container engine as the API sees it: one service per job. The daemon composes the real ones; API tests
/// compose in-memory fakes.
/// </summary>
public interface IContainerEngine
{
    IContainerQueries Queries { get; }

    IContainerLifecycle Lifecycle { get; }

    IContainerStreams Streams { get; }

    IExecSessions Execs { get; }

    IContainerNetworking Networking { get; }

    IContainerVolumes Volumes { get; }

    /// <summary><c>docker cp</c>, <c>diff</c>, <c>export</c>, <c>commit</c>.</summary>
    IContainerFiles Files { get; }

    /// <summary>Pause, update, top and stats: the container's cgroup.</summary>
    IContainerCgroups Cgroups { get; }

    /// <summary>Container, network and volume events (<c>GET /events</c>).</summary>
    EventHub Events { get; }
}
