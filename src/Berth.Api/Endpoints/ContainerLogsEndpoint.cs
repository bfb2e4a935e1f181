using System.Text;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ContainerStatus = Berth.Runtime.Engine.ContainerStatus;

namespace Berth.Api.Endpoints;

/// <summary>
/// <c>GET /containers/{id}/logs</c>: the lines <see cref="ContainerLogQuery"/> selects (<c>tail</c>,
/// <c>since</c>, <c>until</c>, <c>stdout</c>/<c>stderr</c>), framed unless the container has a TTY,
/// each after its timestamp with <c>timestamps=1</c>; with <c>follow=1</c> and a running container, then
/// what it writes until that run ends (or <c>until</c> passes, or the client leaves).
/// </summary>
internal sealed class ContainerLogsEndpoint(IContainerQueries containers, IContainerStreams streams)
{
    /// <summary>How often a followed log is read: new output reaches the client within about this.</summary>
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(50);

    public void Map(IEndpointRouteBuilder routes) => routes.MapGet("/containers/{id}/logs", LogsAsync);

    private async Task LogsAsync(HttpContext context)
    {
        var record = containers.Get(context.GetRouteValue("id")?.ToString() ?? "");
        var http = context.Request;
        var query = new ContainerLogQuery
        {
            Stdout = QueryBool.Get(http, "stdout"),
            Stderr = QueryBool.Get(http, "stderr"),
            Tail = ContainerLogQuery.ParseTail(http.Query["tail"].ToString()),
            SinceUnixNanos = ContainerLogQuery.ParseTimestamp(http.Query["since"].ToString(), "since"),
            UntilUnixNanos = ContainerLogQuery.ParseTimestamp(http.Query["until"].ToString(), "until"),
        };
        if (!query.Stdout && !query.Stderr)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "Bad parameters: you must choose at least one stream");
        }

        bool follow = QueryBool.Get(http, "follow") && record.Status == ContainerStatus.Running;
        bool timestamps = QueryBool.Get(http, "timestamps");
        bool tty = record.Spec.Tty;
        var run = FollowedRun.Of(record);
        var cancellationToken = context.RequestAborted;
        using var follower = streams.OpenLog(record);

        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.StartAsync(cancellationToken);
        foreach (LogRecord line in query.Select(follower.ReadNew()))
        {
            await WriteAsync(context.Response.Body, line, timestamps, tty, cancellationToken);
        }

        await context.Response.Body.FlushAsync(cancellationToken);
        if (follow)
        {
            await follower.FollowAsync(() => run.IsOver(containers.TryGet(record.Id)), FollowInterval, async records =>
            {
                foreach (LogRecord entry in records)
                {
                    if (query.IsPastUntil(entry))
                    {
                        return false;
                    }

                    if (query.Shows(entry))
                    {
                        await WriteAsync(context.Response.Body, entry, timestamps, tty, cancellationToken);
                    }
                }

                await context.Response.Body.FlushAsync(cancellationToken);
                return true;
            }, cancellationToken);
        }
    }

    private static Task WriteAsync(Stream body, LogRecord line, bool timestamps, bool tty, CancellationToken cancellationToken)
    {
        byte[] output = line.Output();
        if (timestamps)
        {
            output = [.. Encoding.ASCII.GetBytes(DockerStreamFraming.TimestampPrefix(line.UnixNanos)), .. output];
        }

        return DockerStreamFraming.WriteAsync(body, DockerStreamFraming.Of(line.Stream), output, tty, cancellationToken);
    }
}
