using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;

namespace Berth.Api.Tests.Services;

/// <summary>
/// <see cref="IServices"/> over lists the test fills, answering with Docker's messages (as the manager does), and
/// keeping what the routes asked of it.
/// </summary>
internal sealed class FakeServices : IServices
{
    public List<ServiceView> Services { get; } = [];

    public List<TaskView> Tasks { get; } = [];

    /// <summary>Thrown by every call when set (the 503 of a node that is not a manager).</summary>
    public BerthException? Failure { get; set; }

    public ServiceSpec? Created { get; private set; }

    public (string Id, long Version, ServiceSpec? Spec, bool Rollback)? Updated { get; private set; }

    public string? Removed { get; private set; }

    public TaskFilter? LastTaskFilter { get; private set; }

    /// <summary>The registry credentials the last create and update were given.</summary>
    public RegistryAuthUpdate? CreatedAuth { get; private set; }

    public RegistryAuthUpdate? UpdatedAuth { get; private set; }

    public Task<ServiceCreated> CreateAsync(ServiceSpec spec, RegistryAuthUpdate? registryAuth = null, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        if (Services.Any(view => view.Record.Spec.Name == spec.Name))
        {
            throw new BerthException(ErrorKind.Conflict, $"rpc error: code = AlreadyExists desc = name conflicts with an existing object: service {spec.Name} already exists");
        }

        Created = spec;
        CreatedAuth = registryAuth;
        return Task.FromResult(new ServiceCreated(ServiceId.New(), []));
    }

    public Task<IReadOnlyList<ServiceView>> ListAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return Task.FromResult<IReadOnlyList<ServiceView>>(Services);
    }

    public Task<ServiceView> GetAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return Task.FromResult(Find(idOrName));
    }

    public Task<IReadOnlyList<string>> UpdateAsync(string idOrName, long version, ServiceSpec? spec, bool rollback, RegistryAuthUpdate? registryAuth = null, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        ServiceView view = Find(idOrName);
        if (version != view.Version)
        {
            throw SwarmErrors.Sequence();
        }

        Updated = (idOrName, version, spec, rollback);
        UpdatedAuth = registryAuth;
        return Task.FromResult<IReadOnlyList<string>>(["image nginx could not be accessed on a registry to record its digest"]);
    }

    public Task RemoveAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        Removed = Find(idOrName).Record.Id.Value;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TaskView>> ListTasksAsync(TaskFilter filter, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        LastTaskFilter = filter;
        return Task.FromResult<IReadOnlyList<TaskView>>(Tasks);
    }

    public Task<TaskView> GetTaskAsync(string id, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return Task.FromResult(Tasks.SingleOrDefault(task => task.Record.Id.Value.StartsWith(id, StringComparison.Ordinal))
            ?? throw new BerthException(ErrorKind.NotFound, $"task {id} not found"));
    }

    private ServiceView Find(string idOrName) =>
        Services.SingleOrDefault(view => view.Record.Id.Value == idOrName || view.Record.Spec.Name == idOrName)
        ?? throw new BerthException(ErrorKind.NotFound, $"service {idOrName} not found");

    private void ThrowIfFailing()
    {
        if (Failure is { } failure)
        {
            throw failure;
        }
    }
}
