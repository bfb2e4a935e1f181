namespace Berth.Runtime.Engine;

/// <summary>
/// The container engine as the API sees it: the services, each made and wired by the daemon (the composition root),
/// handed out by job. Nothing here but the parts.
/// </summary>
public sealed class ContainerEngine(
    IContainerQueries queries,
    IContainerLifecycle lifecycle,
    IContainerStreams streams,
    IExecSessions execs,
    IContainerNetworking networking,
    IContainerVolumes volumes,
    IContainerFiles files,
    IContainerCgroups cgroups,
    EventHub events) : IContainerEngine
{
    public IContainerQueries Queries => queries;

    public IContainerLifecycle Lifecycle => lifecycle;

    public IContainerStreams Streams => streams;

    public IExecSessions Execs => execs;

    public IContainerNetworking Networking => networking;

    public IContainerVolumes Volumes => volumes;

    public IContainerFiles Files => files;
    public IContainerCgroups Cgroups => cgroups;

    public EventHub Events => events;
}
