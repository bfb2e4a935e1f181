using System.Collections.Immutable;
using System.Text;
using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Berth.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Cluster.Tests.Services;

/// <summary>
/// A swarm's store in memory with nodes, a leader, the service manager and an orchestrator (driven pass by pass), a
/// fake clock, and an agent's part played by <see cref="ReportAsync"/>: tasks report what their nodes would.
/// </summary>
internal sealed class ServicesHarness : IAsyncDisposable
{
    public ServicesHarness(ServiceOrchestratorOptions? options = null, IStateStore? store = null)
    {
        Memory = new InMemoryStateStore();
        Store = store ?? Memory;
        Manager = new ServiceManager(Store, Networking, Time, NullLogger.Instance);
        Orchestrator = new ServiceOrchestrator(Store, Self, Time, NullLogger.Instance, options);
    }

    public InMemoryStateStore Memory { get; }

    public IStateStore Store { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    public FakeServiceNetworking Networking { get; } = new();

    public NodeId Self { get; } = NodeId.New();

    public ServiceManager Manager { get; }

    public ServiceOrchestrator Orchestrator { get; }

    public static ServiceSpec Spec(string name, ulong replicas = 1, string image = "busybox:latest") => new()
    {
        Name = name,
        Task = new TaskSpec { Container = new ContainerTaskSpec { Image = image } },
        Mode = ServiceMode.Replicated(replicas),
    };

    public async Task LeadAsync(NodeId? leader = null) =>
        await Memory.PutAsync(ClusterKeys.Leader, Encoding.UTF8.GetBytes((leader ?? Self).Value));

    public async Task<NodeId> AddNodeAsync(string hostname, ClusterRole role = ClusterRole.Worker, bool alive = true,
        NodeAvailability availability = NodeAvailability.Active, params (string Key, string Value)[] labels)
    {
        var id = NodeId.New();
        await PutNodeAsync(new NodeRecord
        {
            Id = id,
            CreatedAt = Time.GetUtcNow(),
            UpdatedAt = Time.GetUtcNow(),
            Role = role,
            Availability = availability,
            Labels = labels.ToImmutableSortedDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
            Host = new SwarmHostFacts { Hostname = hostname, EngineVersion = "28.0.0-berth" },
            Address = "192.0.2.1",
        });
        if (alive)
        {
            await ReviveAsync(id);
        }

        return id;
    }

    public Task PutNodeAsync(NodeRecord node) => Memory.PutAsync(ClusterKeys.Node(node.Id), SwarmRecords.Bytes(node));

    public async Task<NodeRecord> NodeAsync(NodeId id) => SwarmRecords.Node((await Memory.GetAsync(ClusterKeys.Node(id)))!.Value);

    public Task ReviveAsync(NodeId id) => Memory.PutAsync(ClusterKeys.Heartbeat(id), SwarmRecords.Bytes(new HeartbeatRecord { At = Time.GetUtcNow() }));

    public Task KillAsync(NodeId id) => Memory.DeleteAsync(ClusterKeys.Heartbeat(id));

    public async Task<List<TaskEntry>> TasksAsync(ServiceId? service = null) =>
        [.. (await ServicesSnapshot.ReadAsync(Memory, CancellationToken.None)).Tasks.Where(t => service is null || t.Record.ServiceId == service)];

    /// <summary>The tasks desired running, by slot (replicated) or node (global).</summary>
    public async Task<List<TaskEntry>> LiveAsync(ServiceId service) =>
        [.. (await TasksAsync(service)).Where(t => t.Record.DesiredState == TaskState.Running).OrderBy(t => t.Record.Slot)];

    /// <summary>A <c>service update --image</c> of the service named <paramref name="service"/>.</summary>
    public async Task UpdateImageAsync(string image, string service = "web")
    {
        var view = await Manager.GetAsync(service);
        await Manager.UpdateAsync(service, view.Version, view.Record.Spec with
        {
            Task = view.Record.Spec.Task with { Container = view.Record.Spec.Task.Container with { Image = image } },
        }, rollback: false);
    }

    /// <summary>The agent's report of <paramref name="task"/>, stamped by its node's clock: the manager's, <paramref name="skew"/> off.</summary>
    public Task ReportAsync(TaskRecord task, TaskState state, int? exitCode = null, TimeSpan skew = default) =>
        Memory.PutAsync(ClusterKeys.TaskStatus(task.Node!.Value, task.Id), ServiceRecords.Bytes(new TaskRunStatus
        {
            Task = task.Id,
            Node = task.Node!.Value,
            State = state,
            Timestamp = Time.GetUtcNow() + skew,
            ExitCode = exitCode,
        }));

    /// <summary>What every live node's agent would report: placed tasks desired running run; tasks told to stop stop.</summary>
    public async Task AgentsAsync()
    {
        var alive = (await Memory.ListAsync(ClusterKeys.Heartbeats)).Select(e => e.Key[ClusterKeys.Heartbeats.Length..]).ToHashSet();
        foreach (TaskEntry task in await TasksAsync())
        {
            if (task.Record.Node is not { } node || !alive.Contains(node.Value))
            {
                continue;
            }

            if (task.Record.DesiredState == TaskState.Running && task.Status is null)
            {
                await ReportAsync(task.Record, TaskState.Running);
            }
            else if (task.Record.DesiredState > TaskState.Running && task.State is not (TaskState.Shutdown or TaskState.Complete or TaskState.Failed or TaskState.Rejected))
            {
                await ReportAsync(task.Record, TaskState.Shutdown);
            }
        }
    }

    /// <summary>Passes and agent reports, alternately, <paramref name="rounds"/> times.</summary>
    public async Task ConvergeAsync(int rounds = 4)
    {
        for (int i = 0; i < rounds; i++)
        {
            await Orchestrator.ReconcileOnceAsync();
            await AgentsAsync();
        }
    }

    public async Task<int> KeyCountAsync(string prefix) => (await Memory.ListAsync(prefix)).Count;

    public async ValueTask DisposeAsync()
    {
        await Orchestrator.DisposeAsync();
        await Memory.DisposeAsync();
    }
}
