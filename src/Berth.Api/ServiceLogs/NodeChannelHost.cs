using System.Net;
using System.Text.Json;
using Berth.Api.Errors;
using Berth.Api.Hosting;
using Berth.Api.Http;
using Berth.Cluster.Identity;
using Berth.Cluster.NodeChannel;
using Berth.Cluster.Secrets;
using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Berth.Api.ServiceLogs;

/// <summary>
/// The node channel's transport (<see cref="INodeChannelListener"/>): a small Kestrel of its own on the advertise
/// address, port 7946, HTTPS with the node's certificate, a client certificate required and verified against the
/// cluster's roots. It serves <c>GET /tasks/{id}/logs</c> from this node's task containers, always framed
/// (the manager strips frames for a TTY service), and, on a manager, <c>GET /tasks/{id}/files</c>: a task's secrets
/// and configs, only to the node the client certificate names when the task is that node's.
/// </summary>
public sealed class NodeChannelHost(IContainerQueries containers, IContainerStreams streams, ILoggerProvider? logging = null, ITaskFileProvider? files = null)
    : INodeChannelListener
{
    private readonly TaskLogSource _tasks = new(containers, streams);

    public async Task<IAsyncDisposable> ListenAsync(IPEndPoint endpoint, NodeChannelCredentialSource credentials, CancellationToken cancellationToken = default)
    {
        // Loaded once now so that a node without credentials fails here, not at the first handshake.
        credentials.Current();
        return await HttpsSideHost.StartAsync("berthd-node-channel", "the node channel",
            $"is another program (a Docker engine's gossip?) using port {endpoint.Port} there?", endpoint, new HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, _) => credentials.Current().Certificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (certificate, _, _) => credentials.Current().Trusts(certificate, DateTimeOffset.UtcNow),
            }, logging, routes =>
            {
                routes.MapGet("/tasks/{id}/logs", ServeAsync);
                routes.MapGet("/tasks/{id}/files", context => ServeFilesAsync(context, credentials));
                routes.MapGet("/tasks/{id}/registry-auth", context => ServeRegistryAuthAsync(context, credentials));
            }, cancellationToken);
    }

    private Task ServeFilesAsync(HttpContext context, NodeChannelCredentialSource credentials) =>
        ServeToTaskNodeAsync(context, credentials, async (provider, node, task, response) =>
        {
            var data = await provider.TaskFilesAsync(node, task, context.RequestAborted);
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json";
            response.Headers.CacheControl = "no-store";
            await JsonSerializer.SerializeAsync(response.Body, [.. data], SecretsJsonContext.Default.ListTaskFileData, context.RequestAborted);
        });

    /// <summary>The client's <c>X-Registry-Auth</c> the task's service was given, as text (204: none), to the task's node only.</summary>
    private Task ServeRegistryAuthAsync(HttpContext context, NodeChannelCredentialSource credentials) =>
        ServeToTaskNodeAsync(context, credentials, async (provider, node, task, response) =>
        {
            string? auth = await provider.TaskRegistryAuthAsync(node, task, context.RequestAborted);
            response.Headers.CacheControl = "no-store";
            if (auth is null)
            {
                response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/plain";
            await response.WriteAsync(auth, context.RequestAborted);
        });

    /// <summary>Checks the route's task id and the client certificate, then lets <paramref name="serve"/> answer for the certificate's node.</summary>
    private async Task ServeToTaskNodeAsync(HttpContext context, NodeChannelCredentialSource credentials, Func<ITaskFileProvider, NodeId, TaskId, HttpResponse, Task> serve)
    {
        var response = context.Response;
        try
        {
            var task = TaskId.TryParse(context.GetRouteValue("id")?.ToString(), out var id)
                ? id
                : throw new BerthException(ErrorKind.InvalidArgument, "not a task id");
            var peer = context.Connection.ClientCertificate is { } certificate
                ? credentials.Current().VerifyPeer(certificate, DateTimeOffset.UtcNow)
                : throw new BerthException(ErrorKind.Forbidden, "no client certificate");
            var provider = files ?? throw new BerthException(ErrorKind.Unavailable, "this node does not hand out secrets: ask a manager");
            await serve(provider, peer.Node, task, response);
        }
        catch (BerthException e) when (!response.HasStarted)
        {
            response.StatusCode = ErrorStatus.For(e.Kind);
            response.ContentType = "text/plain";
            await response.WriteAsync(e.Message, context.RequestAborted);
        }
    }

    private async Task ServeAsync(HttpContext context)
    {
        var response = context.Response;
        try
        {
            var task = TaskId.TryParse(context.GetRouteValue("id")?.ToString(), out var id)
                ? id
                : throw new BerthException(ErrorKind.InvalidArgument, "not a task id");
            var request = TaskLogRequest.Parse(context.Request);
            var container = _tasks.ContainerOf(task);
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/vnd.docker.multiplexed-stream";
            await response.StartAsync(context.RequestAborted);
            await foreach (LogFrame frame in _tasks.ReadAsync(container, request, context.RequestAborted))
            {
                await DockerStreamFraming.WriteAsync(response.Body, frame.Stream, frame.Payload, tty: false, context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (BerthException e) when (!response.HasStarted)
        {
            response.StatusCode = ErrorStatus.For(e.Kind);
            response.ContentType = "text/plain";
            await response.WriteAsync(e.Message, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The manager left (its client did): nothing to answer.
        }
    }
}
