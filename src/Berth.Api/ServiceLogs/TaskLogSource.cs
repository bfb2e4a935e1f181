using System.Runtime.CompilerServices;
using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Engine;
using ContainerStatus = Berth.Runtime.Engine.ContainerStatus;

namespace Berth.Api.ServiceLogs;

/// <summary>
/// A task's log on the node that runs it: the local container carrying the task's id label, read with
/// <see cref="ContainerLogQuery"/>'s semantics (as <c>docker logs</c>), one <see cref="LogFrame"/> per line with the
/// task's details in front. With <c>follow</c> and a running container, then what it writes until that run ends.
/// </summary>
internal sealed class TaskLogSource(IContainerQueries containers, IContainerStreams streams)
{
    /// <summary>How often a followed log is read (as <c>docker logs -f</c> here).</summary>
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>The newest container of <paramref name="task"/> on this node; NotFound when it has none here.</summary>
    public ContainerRecord ContainerOf(TaskId task) =>
        containers.List()
            .Where(container => TaskContainers.TaskOf(container.Spec.Labels) == task)
            .MaxBy(container => container.Created)
        ?? throw new BerthException(ErrorKind.NotFound, $"task {task} has no container on this node; it may have been removed (see docker service ps)");

    public async IAsyncEnumerable<LogFrame> ReadAsync(ContainerRecord container, TaskLogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var details = TaskLogLine.ContextOf(container.Spec.Labels);
        var query = request.Query;
        bool follow = request.Follow && container.Status == ContainerStatus.Running;
        var run = FollowedRun.Of(container);
        using var follower = streams.OpenLog(container);
        foreach (LogRecord line in query.Select(follower.ReadNew()))
        {
            yield return TaskLogLine.Frame(line, details, request);
        }

        while (follow)
        {
            // Read after deciding: the last output of a run that just ended still goes out.
            bool over = run.IsOver(containers.TryGet(container.Id));
            foreach (LogRecord record in follower.ReadNew())
            {
                if (query.Shows(record))
                {
                    yield return TaskLogLine.Frame(record, details, request);
                }
            }

            if (over)
            {
                yield break;
            }

            await Task.Delay(FollowInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
