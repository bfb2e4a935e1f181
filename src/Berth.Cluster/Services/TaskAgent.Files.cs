using Berth.Cluster.Identity;
using Berth.Core.Errors;
using Berth.Runtime.Engine;

namespace Berth.Cluster.Services;

/// <summary>A task's secrets and configs: fetched before its container is made, in a tmpfs while it exists (Secrets/README.md).</summary>
public sealed partial class TaskAgent
{
    /// <summary>
    /// The bind mounts of the task's secret and config files, made now; none when it references none. Any failure is
    /// the task's (InvalidArgument naming the cause): it is rejected, and its restart policy decides what follows.
    /// </summary>
    private async Task<IReadOnlyList<MountSpec>> TaskFilesAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        var container = task.Spec.Container;
        if (container.Secrets.IsDefaultOrEmpty && container.Configs.IsDefaultOrEmpty)
        {
            return [];
        }

        if (_files is null)
        {
            throw new BerthException(ErrorKind.NotSupported, $"task {task.Id.Value}: this node cannot hand secrets or configs to containers");
        }

        try
        {
            var data = await _files.Fetch(task.Id, cancellationToken).ConfigureAwait(false);
            return _files.Mounts.Prepare(task, data);
        }
        catch (Exception e) when (e is BerthException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            throw new BerthException((e as BerthException)?.Kind ?? ErrorKind.Internal, $"task {task.Id.Value}: its secrets and configs could not be set up: {e.Message}", e);
        }
    }

    private void ReleaseFiles(TaskId task)
    {
        if (_files is null)
        {
            return;
        }

        try
        {
            _files.Mounts.Release(task);
        }
        catch (Exception e) when (e is BerthException or IOException or UnauthorizedAccessException)
        {
            Secrets.SecretsLog.CleanupFailed(_logger, task.Value, _files.Mounts.Root, e.Message);
        }
    }

    /// <summary>After a restart: the tmpfs of a task whose container is gone (removed while berthd was down) goes too.</summary>
    private void SweepFiles()
    {
        if (_files is null)
        {
            return;
        }

        var containers = TaskContainersHere();
        foreach (TaskId task in _files.Mounts.Present().Where(task => !containers.ContainsKey(task)))
        {
            ReleaseFiles(task);
            Secrets.SecretsLog.StaleRemoved(_logger, task.Value);
        }
    }
}
