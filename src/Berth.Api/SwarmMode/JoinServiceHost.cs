using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Berth.Api.Errors;
using Berth.Api.Hosting;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Berth.Api.SwarmMode;

/// <summary>
/// The join service's transport (<see cref="IJoinListener"/>): a small Kestrel of its own on the manager's advertise
/// address, port 2377, HTTPS with the node's certificate. It runs only while the node is a manager, apart from the
/// Docker API (which stays on its unix socket).
/// </summary>
public sealed class JoinServiceHost(ILoggerProvider? logging = null) : IJoinListener
{
    public async Task<IAsyncDisposable> ListenAsync(IPEndPoint endpoint, Func<X509Certificate2> certificate, string caCertificatePem, IJoinService service,
        CancellationToken cancellationToken = default)
    {
        var listening = await HttpsSideHost.StartAsync("berthd-join", "the swarm's join service",
            $"is another swarm (a Docker engine?) using port {endpoint.Port} there?", endpoint, new HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, _) => certificate(),
                // A client certificate is asked for but not required (a joiner has none yet); /renew checks it against the CA itself.
                ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                ClientCertificateValidation = (_, _, _) => true,
            }, logging, routes =>
            {
                routes.MapGet("/ca", context => context.Response.WriteAsync(caCertificatePem, context.RequestAborted));
                routes.MapPost("/join", context => AnswerAsync(context, async () =>
                {
                    var request = await JsonSerializer.DeserializeAsync(context.Request.Body, ClusterJsonContext.Default.JoinRequest, context.RequestAborted)
                        ?? throw new BerthException(ErrorKind.InvalidArgument, "empty join request");
                    return await service.AdmitAsync(request, context.RequestAborted);
                }));
                routes.MapPost("/renew", context => AnswerAsync(context, async () =>
                {
                    var request = await JsonSerializer.DeserializeAsync(context.Request.Body, ClusterJsonContext.Default.RenewRequest, context.RequestAborted)
                        ?? throw new BerthException(ErrorKind.InvalidArgument, "empty renewal request");
                    return await service.RenewAsync(request, context.Connection.ClientCertificate, context.RequestAborted);
                }));
            }, cancellationToken);
        return listening;
    }

    private static async Task AnswerAsync(HttpContext context, Func<Task<JoinAnswer>> answer)
    {
        try
        {
            var result = await answer();
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, result, ClusterJsonContext.Default.JoinAnswer, context.RequestAborted);
        }
        catch (Exception e) when (e is BerthException or JsonException)
        {
            var error = e is BerthException berth ? new JoinError(berth.Kind, berth.Message) : new JoinError(ErrorKind.InvalidArgument, $"invalid request: {e.Message}");
            context.Response.StatusCode = ErrorStatus.For(error.Kind);
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, error, ClusterJsonContext.Default.JoinError, context.RequestAborted);
        }
    }
}
