using Berth.Cluster.Services;

namespace Berth.Diagnostics.Tests.Topology;

/// <summary>Services and tasks as a manager lists them; nothing is changed through it.</summary>
internal sealed class FakeServices(IReadOnlyList<ServiceView> services, IReadOnlyList<TaskView> tasks) : IServices
{
    public TaskFilter? LastFilter { get; private set; }

    public Task<IReadOnlyList<ServiceView>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult(services);

    public Task<IReadOnlyList<TaskView>> ListTasksAsync(TaskFilter filter, CancellationToken cancellationToken = default)
    {
        LastFilter = filter;
        return Task.FromResult(tasks);
    }

    public Task<ServiceCreated> CreateAsync(ServiceSpec spec, RegistryAuthUpdate? registryAuth = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ServiceView> GetAsync(string idOrName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<string>> UpdateAsync(string idOrName, long version, ServiceSpec? spec, bool rollback, RegistryAuthUpdate? registryAuth = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task RemoveAsync(string idOrName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<TaskView> GetTaskAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
