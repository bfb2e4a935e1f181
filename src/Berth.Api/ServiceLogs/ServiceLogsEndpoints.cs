using System.Runtime.CompilerServices;
using System.Text;
using Berth.Api.Http;
using Berth.Cluster.Identity;
using Berth.Cluster.NodeChannel;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Berth.Api.ServiceLogs;

/// <summary>
/// <c>GET /services/{id}/logs</c> and <c>GET /tasks/{id}/logs</c> on a manager: each task that has a container (in any
/// state) is read on its node — this one directly, another through its node channel — and the streams are merged frame
/// by frame (framed unless the service has a TTY). Like swarmkit's log broker, a node that cannot be reached only
/// costs its tasks: the others' lines go out, then one system-error frame says which were left out (the CLI prints
/// "error from daemon in stream: Error grabbing logs: warning: incomplete log stream…"). With <c>follow</c> the stream
/// stays open until the client leaves.
/// </summary>
internal sealed class ServiceLogsEndpoints(IServices services, ISwarm swarm, TaskLogSource local, NodeChannelClient remote, Func<NodeId?> localNode, ILogger logger)
{
    /// <summary>Maps the two routes when the node is set up for them (else they stay Docker's 503, <c>UnservedRoutes</c>).</summary>
    public static void MapIfServed(IEndpointRouteBuilder routes, IContainerEngine containers, ISwarm? swarm, IServices? services, NodeChannelSession? nodeChannel, ILogger logger)
    {
        if (swarm is not null && services is not null && nodeChannel is not null)
        {
            new ServiceLogsEndpoints(services, swarm, new TaskLogSource(containers.Queries, containers.Streams), new NodeChannelClient(nodeChannel.Credentials),
                () => nodeChannel.LocalNode, logger).Map(routes);
        }
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/services/{id}/logs", ServiceLogsAsync);
        routes.MapGet("/tasks/{id}/logs", TaskLogsAsync);
    }

    private async Task ServiceLogsAsync(HttpContext context)
    {
        var request = TaskLogRequest.Parse(context.Request);
        var service = await services.GetAsync(context.GetRouteValue("id")?.ToString() ?? "", context.RequestAborted);
        var tasks = await services.ListTasksAsync(new TaskFilter { Services = [service.Record.Id.Value] }, context.RequestAborted);
        await StreamAsync(context, request, tasks, service.Record.Spec.Task.Container.Tty);
    }

    private async Task TaskLogsAsync(HttpContext context)
    {
        var request = TaskLogRequest.Parse(context.Request);
        var task = await services.GetTaskAsync(context.GetRouteValue("id")?.ToString() ?? "", context.RequestAborted);
        await StreamAsync(context, request, [task], task.Record.Spec.Container.Tty);
    }

    private async Task StreamAsync(HttpContext context, TaskLogRequest request, IReadOnlyList<TaskView> tasks, bool tty)
    {
        var cancellationToken = context.RequestAborted;
        var leftOut = new List<string>();
        var sources = new List<IAsyncEnumerable<LogFrame>>();
        foreach (var task in tasks.OrderBy(task => task.Record.Slot).ThenBy(task => task.Record.CreatedAt))
        {
            if (task.Status is not { ContainerId: not null } status)
            {
                continue;
            }

            sources.Add(Tolerant(task.Record.Id, status.Node, ReadAsync(task.Record.Id, status.Node, request, cancellationToken), leftOut));
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        if (!tty)
        {
            response.ContentType = "application/vnd.docker.multiplexed-stream";
        }

        await response.StartAsync(cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
        await LogFrameMerge.MergeAsync(sources, async (frame, token) =>
        {
            await DockerStreamFraming.WriteAsync(response.Body, frame.Stream, frame.Payload, tty, token);
            await response.Body.FlushAsync(token);
        }, cancellationToken);

        string[] reasons;
        lock (leftOut)
        {
            reasons = [.. leftOut.Distinct(StringComparer.Ordinal)];
        }

        if (reasons.Length > 0)
        {
            string warning = $"Error grabbing logs: warning: incomplete log stream. some logs could not be retrieved for the following reasons: {string.Join(", ", reasons)}\n";
            await DockerStreamFraming.WriteAsync(response.Body, DockerStreamFraming.SystemError, Encoding.UTF8.GetBytes(warning), tty, cancellationToken);
        }
        else if (request.Follow)
        {
            // Docker's follow never ends by itself: the client leaves (Ctrl-C).
            await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async IAsyncEnumerable<LogFrame> ReadAsync(TaskId task, NodeId node, TaskLogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerable<LogFrame> frames;
        if (localNode() == node)
        {
            frames = local.ReadAsync(local.ContainerOf(task), request, cancellationToken);
        }
        else
        {
            var view = await swarm.GetNodeAsync(node.Value, cancellationToken).ConfigureAwait(false);
            if (view.Liveness == NodeLiveness.Down)
            {
                throw new BerthException(ErrorKind.Unavailable, $"node {node} is not available");
            }

            frames = remote.TaskLogAsync(view.Record.Address, task, request, cancellationToken);
        }

        await foreach (var frame in frames.ConfigureAwait(false))
        {
            yield return frame;
        }
    }

    /// <summary>A task's frames where a failure (node gone, container removed) ends only this task's part, noting why.</summary>
    private async IAsyncEnumerable<LogFrame> Tolerant(TaskId task, NodeId node, IAsyncEnumerable<LogFrame> frames, List<string> leftOut)
    {
        await using var reading = frames.GetAsyncEnumerator();
        while (true)
        {
            string? failure = null;
            try
            {
                if (!await reading.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (BerthException e) when (e.Kind is ErrorKind.Unavailable or ErrorKind.NotFound)
            {
                failure = e.Kind == ErrorKind.Unavailable ? $"node {node} is not available" : $"task {task}: {e.Message}";
                ServiceLogsLog.TaskLeftOut(logger, task.Value, e.Message);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                failure = $"node {node} is not available";
                ServiceLogsLog.TaskLeftOut(logger, task.Value, e.Message);
            }

            if (failure is not null)
            {
                lock (leftOut)
                {
                    leftOut.Add(failure);
                }

                yield break;
            }

            yield return reading.Current;
        }
    }
}
