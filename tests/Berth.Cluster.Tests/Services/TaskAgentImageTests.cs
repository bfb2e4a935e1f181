using System.Text;
using Berth.Cluster.Identity;
using Berth.Cluster.Secrets;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Runtime.Images;
using Berth.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Cluster.Tests.Services;

/// <summary>
/// A task's image in its preparing state: pulled once when the node lacks it (tasks starting together share the pull),
/// with the credentials its service was given (fetched for the task), not pulled when present; a failed pull leaves
/// the task rejected with the engine's "No such image" and why the pull did not help.
/// </summary>
public sealed class TaskAgentImageTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private static readonly string Header = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"username":"me","password":"pw"}"""));

    private readonly InMemoryStateStore _store = new();
    private readonly NodeId _node = NodeId.New();
    private readonly FakeTaskEngine _engine = new();
    private readonly HashSet<string> _present = new(StringComparer.Ordinal);
    private readonly List<(string Image, RegistryCredentials? Credentials)> _pulls = [];
    private readonly List<TaskId> _authFetches = [];
    private TaskCompletionSource _pullGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _pullFailure;
    private TaskAgent _agent = null!;

    public Task InitializeAsync()
    {
        _pullGate.SetResult();
        var images = new TaskImages(image => { lock (_present) { return _present.Contains(image); } }, async (image, credentials, cancellationToken) =>
        {
            lock (_pulls)
            {
                _pulls.Add((image, credentials));
            }

            await _pullGate.Task.WaitAsync(cancellationToken);
            if (_pullFailure is { } failure)
            {
                throw failure;
            }

            lock (_present)
            {
                _present.Add(image);
            }
        });
        var files = new TaskFileDelivery((_, _) => Task.FromResult<IReadOnlyList<TaskFileData>>([]), new TaskFileMounts("/nonexistent/berth-test"), (task, _) =>
        {
            lock (_authFetches)
            {
                _authFetches.Add(task);
            }

            return Task.FromResult<string?>(Header);
        });
        _agent = new TaskAgent(_store, _node, _engine, new FakeServiceNetworking(), TimeProvider.System, NullLogger.Instance, files, images);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task A_missing_image_is_pulled_once_with_the_services_credentials_for_tasks_starting_together()
    {
        _pullGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = await PutServiceAsync("reg.lab:5000/app:1", sealedAuth: "sealed");
        var first = await PutTaskAsync(service, 1);
        var second = await PutTaskAsync(service, 2);
        _agent.Start();

        Assert.True(await Until(() => _authFetches.Count == 2), "both tasks fetch their credentials");
        _pullGate.SetResult();
        await ReportAsync(first, TaskState.Running);
        await ReportAsync(second, TaskState.Running);
        var pull = Assert.Single(_pulls);
        Assert.Equal(("reg.lab:5000/app:1", new RegistryCredentials("me", "pw")), (pull.Image, pull.Credentials));
    }

    [Fact]
    public async Task An_image_here_is_not_pulled_and_a_service_without_credentials_pulls_anonymously()
    {
        _present.Add("here:1");
        await PutTaskAsync(await PutServiceAsync("here:1"), 1);
        var anonymous = await PutTaskAsync(await PutServiceAsync("elsewhere:1"), 1);
        _agent.Start();
        await ReportAsync(anonymous, TaskState.Running);
        Assert.Equal([("elsewhere:1", (RegistryCredentials?)null)], _pulls);
        Assert.Empty(_authFetches);
    }

    [Fact]
    public async Task A_failed_pull_rejects_the_task_with_no_such_image_and_the_pulls_reason()
    {
        _pullFailure = new BerthException(ErrorKind.Forbidden, "pull access denied for reg.lab:5000/app: no basic auth credentials");
        _engine.MissingImages.Add("reg.lab:5000/app:1");
        var task = await PutTaskAsync(await PutServiceAsync("reg.lab:5000/app:1"), 1);
        _agent.Start();
        var rejected = await ReportAsync(task, TaskState.Rejected);
        Assert.Equal("No such image: reg.lab:5000/app:1 (pulling it failed: pull access denied for reg.lab:5000/app: no basic auth credentials)", rejected.Error);
    }

    private async Task<ServiceRecord> PutServiceAsync(string image, string? sealedAuth = null)
    {
        var now = DateTimeOffset.UtcNow;
        var spec = ServicesHarness.Spec("svc" + Guid.NewGuid().ToString("N")[..6], image: image);
        spec = spec with { Task = spec.Task with { Container = spec.Task.Container with { SealedRegistryAuth = sealedAuth } } };
        var service = new ServiceRecord { Id = ServiceId.New(), CreatedAt = now, UpdatedAt = now, Spec = spec };
        await _store.PutAsync(ClusterKeys.Service(service.Id), ServiceRecords.Bytes(service));
        return service;
    }

    private async Task<TaskRecord> PutTaskAsync(ServiceRecord service, int slot)
    {
        var now = DateTimeOffset.UtcNow;
        var task = new TaskRecord
        {
            Id = TaskId.New(),
            ServiceId = service.Id,
            Slot = slot,
            Node = _node,
            DesiredState = TaskState.Running,
            SpecVersion = service.SpecVersion,
            Spec = service.Spec.Task,
            CreatedAt = now,
            UpdatedAt = now,
            State = TaskState.Assigned,
        };
        await _store.PutAsync(ClusterKeys.Task(task.Id), ServiceRecords.Bytes(task));
        return task;
    }

    private async Task<TaskRunStatus> ReportAsync(TaskRecord task, TaskState state)
    {
        TaskRunStatus? found = null;
        Assert.True(await Until(async () => (found = await _store.GetAsync(ClusterKeys.TaskStatus(_node, task.Id)) is { } entry ? ServiceRecords.Status(entry.Value) : null)?.State == state),
            $"task {task.Id.Value} never reported {state}; last: {found?.State} {found?.Error}");
        return found!;
    }

    private static Task<bool> Until(Func<bool> condition) => Until(() => Task.FromResult(condition()));

    private static async Task<bool> Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
