using Berth.Cluster.Identity;
using Berth.Cluster.NodeChannel;
using Berth.Cluster.Secrets;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Services;

/// <summary>
/// Services on this node, following its swarm session: on every node the <see cref="TaskAgent"/> (the tasks assigned
/// here); on a manager also the <see cref="ServiceManager"/> the API asks (<see cref="IServices"/>) and the
/// <see cref="ServiceOrchestrator"/>, <see cref="ServiceBindingSync"/> and <see cref="IngressBootstrap"/> (which act while this node leads). A session that closes stops them (task
/// containers keep running; the next session's agent adopts them); outside a swarm, or on a worker, the API's calls
/// are Docker's 503.
/// </summary>
public sealed class SwarmServices : IServices, ISecrets, ITaskFileProvider, IAsyncDisposable
{
    private readonly SwarmNode _swarm;
    private readonly IContainerEngine _engine;
    private readonly IServiceNetworking _networking;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly SwarmPaths? _paths;
    private readonly TaskFileMounts? _mounts;
    private readonly TaskImages? _images;
    private readonly Lock _lock = new();
    private Running? _running;
    private Task _stopping = Task.CompletedTask;

    /// <param name="paths">This node's swarm files: the managers' secret that seals secrets, the node channel's credentials.</param>
    /// <param name="taskFilesRoot">Where tasks' secret and config tmpfs go (under the exec root); null: tasks with any are rejected.</param>
    /// <param name="images">How a task's missing image is pulled; null: never (a missing image rejects the task).</param>
    public SwarmServices(SwarmNode swarm, IContainerEngine engine, IServiceNetworking networking, TimeProvider time, ILoggerFactory loggers,
        SwarmPaths? paths = null, string? taskFilesRoot = null, TaskImages? images = null)
    {
        _images = images;
        _paths = paths;
        _mounts = paths is not null && taskFilesRoot is not null ? new TaskFileMounts(taskFilesRoot) : null;
        _swarm = swarm;
        _engine = engine;
        _networking = networking;
        _time = time;
        _loggers = loggers;
        swarm.SessionChanged += OnSession;
        swarm.Leaving = RemoveTaskContainersAsync;
    }

    /// <summary>Starts at once if the swarm already has a session (else at its next).</summary>
    public void Start()
    {
        if (_swarm.SessionFacts is { } facts)
        {
            OnSession(facts);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _swarm.SessionChanged -= OnSession;
        await StopRunningAsync().ConfigureAwait(false);
    }

    /// <summary>Stops what the current session runs (after whatever an earlier session's stop still does); nothing runs after.</summary>
    private async Task StopRunningAsync()
    {
        Running? running;
        Task stopping;
        lock (_lock)
        {
            running = _running;
            _running = null;
            stopping = _stopping;
        }

        await stopping.ConfigureAwait(false);
        if (running is not null)
        {
            await running.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The node leaves the swarm: its services stop (the agent with them, so nothing starts a task container again), then,
    /// as moby's <c>Leave</c> does, every container of a task of this node goes, while the network layer still follows
    /// the cluster (their endpoints are withdrawn, their overlay sandboxes go with the last). Best effort: a container that
    /// cannot be removed is logged and left.
    /// </summary>
    private async Task RemoveTaskContainersAsync(NodeId node, CancellationToken cancellationToken)
    {
        await StopRunningAsync().ConfigureAwait(false);

        var logger = _loggers.CreateLogger<SwarmServices>();
        foreach (var container in _engine.Queries.List().Where(c => c.Spec.Labels.GetValueOrDefault(TaskContainers.NodeIdLabel) == node.Value))
        {
            try
            {
                await _engine.Lifecycle.RemoveAsync(container.Id.Value, force: true, removeVolumes: true, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind != ErrorKind.NotFound)
            {
                ServicesAgentLog.LeftContainer(logger, container.Id.Value, e.Message);
            }
        }
    }

    private void OnSession(SwarmSessionFacts? facts)
    {
        lock (_lock)
        {
            if (_running is { } old && facts is not null && ReferenceEquals(old.Facts.Store, facts.Store) && old.Facts.Role == facts.Role)
            {
                return;
            }

            var previous = _running;
            _running = facts is null ? null : Open(facts);
            if (previous is not null)
            {
                var before = _stopping;
                _stopping = Task.Run(async () =>
                {
                    await before.ConfigureAwait(false);
                    await previous.DisposeAsync().ConfigureAwait(false);
                });
            }
        }
    }

    private Running Open(SwarmSessionFacts facts)
    {
        Func<SecretSeal>? seal = facts.Role == ClusterRole.Manager && _paths is { } paths
            ? () => SecretSeal.FromManagerSecret(SwarmStateFile.LoadCaKeySecret(paths))
            : null;
        SecretManager? secrets = seal is not null ? new SecretManager(facts.Store, seal, _time, _loggers.CreateLogger<SecretManager>()) : null;
        var agent = new TaskAgent(facts.Store, facts.Node, _engine, _networking, _time, _loggers.CreateLogger<TaskAgent>(), Delivery(facts, secrets), _images);
        agent.Start();
        if (facts.Role != ClusterRole.Manager)
        {
            return new Running(facts, agent, null, null, null, null, null, null);
        }

        var orchestrator = new ServiceOrchestrator(facts.Store, facts.Node, _time, _loggers.CreateLogger<ServiceOrchestrator>());
        orchestrator.Start();
        var bindings = new ServiceBindingSync(facts.Store, () => orchestrator.IsLeading, _loggers.CreateLogger<ServiceBindingSync>());
        bindings.Start();
        var ingress = new IngressBootstrap(facts.Store, _networking, () => orchestrator.IsLeading, _loggers.CreateLogger<IngressBootstrap>());
        ingress.Start();
        var manager = new ServiceManager(facts.Store, _networking, _time, _loggers.CreateLogger<ServiceManager>(), seal);
        var serviceUsers = _networking.AnswerServiceUsers(manager.ServiceUsingNetworkAsync);
        return new Running(facts, agent, manager, orchestrator, bindings, ingress, secrets, serviceUsers);
    }

    /// <summary>A manager opens its tasks' secrets itself; a worker asks a manager over the node channel.</summary>
    private TaskFileDelivery? Delivery(SwarmSessionFacts facts, SecretManager? secrets)
    {
        if (_mounts is null || _paths is null)
        {
            return null;
        }

        if (secrets is not null)
        {
            return new TaskFileDelivery((task, cancellationToken) => secrets.TaskFilesAsync(facts.Node, task, cancellationToken), _mounts,
                (task, cancellationToken) => secrets.TaskRegistryAuthAsync(facts.Node, task, cancellationToken));
        }

        var client = new TaskFileClient(facts.Store, new NodeChannelCredentialSource(_paths));
        return new TaskFileDelivery(client.FetchAsync, _mounts, client.FetchRegistryAuthAsync);
    }

    private SecretManager Secrets() =>
        Volatile.Read(ref _running)?.Secrets ?? throw (_swarm.Local.State == SwarmLocalState.Inactive ? SwarmErrors.NoSwarm() : SwarmErrors.NotManager());

    public Task<SecretId> CreateAsync(SecretKind kind, SecretSpec spec, CancellationToken cancellationToken = default) => WriteAsync(Secrets().CreateAsync(kind, spec, cancellationToken));

    public Task<IReadOnlyList<SecretView>> ListAsync(SecretKind kind, CancellationToken cancellationToken = default) => Secrets().ListAsync(kind, cancellationToken);

    public Task<SecretView> GetAsync(SecretKind kind, string idOrName, CancellationToken cancellationToken = default) => Secrets().GetAsync(kind, idOrName, cancellationToken);

    public Task UpdateAsync(SecretKind kind, string idOrName, long version, SecretSpec spec, CancellationToken cancellationToken = default) =>
        WriteAsync(Secrets().UpdateAsync(kind, idOrName, version, spec, cancellationToken));

    public Task RemoveAsync(SecretKind kind, string idOrName, CancellationToken cancellationToken = default) => WriteAsync(Secrets().RemoveAsync(kind, idOrName, cancellationToken));

    public Task<IReadOnlyList<TaskFileData>> TaskFilesAsync(NodeId requester, TaskId task, CancellationToken cancellationToken = default) =>
        Secrets().TaskFilesAsync(requester, task, cancellationToken);

    public Task<string?> TaskRegistryAuthAsync(NodeId requester, TaskId task, CancellationToken cancellationToken = default) =>
        Secrets().TaskRegistryAuthAsync(requester, task, cancellationToken);

    /// <summary>
    /// A write of services or secrets: one the store cannot commit (no etcd leader: a majority of managers down or cut
    /// off) is Docker's "no leader" 503, as for nodes and the swarm (found cutting a manager off: its scale answered etcd's own words).
    /// </summary>
    private static async Task<T> WriteAsync<T>(Task<T> write)
    {
        try
        {
            return await write.ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            throw SwarmErrors.Quorum(e);
        }
    }

    private static async Task WriteAsync(Task write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            throw SwarmErrors.Quorum(e);
        }
    }

    private ServiceManager Manager() =>
        Volatile.Read(ref _running)?.Manager ?? throw (_swarm.Local.State == SwarmLocalState.Inactive ? SwarmErrors.NoSwarm() : SwarmErrors.NotManager());

    public Task<ServiceCreated> CreateAsync(ServiceSpec spec, RegistryAuthUpdate? registryAuth = null, CancellationToken cancellationToken = default) =>
        WriteAsync(Manager().CreateAsync(spec, registryAuth, cancellationToken));

    public Task<IReadOnlyList<ServiceView>> ListAsync(CancellationToken cancellationToken = default) => Manager().ListAsync(cancellationToken);

    public Task<ServiceView> GetAsync(string idOrName, CancellationToken cancellationToken = default) => Manager().GetAsync(idOrName, cancellationToken);

    public Task<IReadOnlyList<string>> UpdateAsync(string idOrName, long version, ServiceSpec? spec, bool rollback, RegistryAuthUpdate? registryAuth = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync(Manager().UpdateAsync(idOrName, version, spec, rollback, registryAuth, cancellationToken));

    public Task RemoveAsync(string idOrName, CancellationToken cancellationToken = default) => WriteAsync(Manager().RemoveAsync(idOrName, cancellationToken));

    public Task<IReadOnlyList<TaskView>> ListTasksAsync(TaskFilter filter, CancellationToken cancellationToken = default) => Manager().ListTasksAsync(filter, cancellationToken);

    public Task<TaskView> GetTaskAsync(string id, CancellationToken cancellationToken = default) => Manager().GetTaskAsync(id, cancellationToken);

    private sealed record Running(SwarmSessionFacts Facts, TaskAgent Agent, ServiceManager? Manager, ServiceOrchestrator? Orchestrator, ServiceBindingSync? Bindings,
        IngressBootstrap? Ingress, SecretManager? Secrets, IDisposable? ServiceUsers) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            ServiceUsers?.Dispose();
            if (Ingress is not null)
            {
                await Ingress.DisposeAsync().ConfigureAwait(false);
            }

            if (Bindings is not null)
            {
                await Bindings.DisposeAsync().ConfigureAwait(false);
            }

            if (Orchestrator is not null)
            {
                await Orchestrator.DisposeAsync().ConfigureAwait(false);
            }

            await Agent.DisposeAsync().ConfigureAwait(false);
        }
    }
}
