using System.Net;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Api.Hosting;

/// <summary>
/// A small Kestrel of its own beside the Docker API, for the swarm's node-to-node services (the join service on 2377,
/// the node channel on 7946): one HTTPS endpoint, routing only, berthd's logging. Running until the result is disposed.
/// </summary>
internal static class HttpsSideHost
{
    /// <summary>Starts it; an endpoint that cannot be bound is Conflict, naming <paramref name="what"/>, the endpoint and <paramref name="hint"/>.</summary>
    public static async Task<IAsyncDisposable> StartAsync(string name, string what, string hint, IPEndPoint endpoint, HttpsConnectionAdapterOptions https,
        ILoggerProvider? logging, Action<IEndpointRouteBuilder> map, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = name });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endpoint, listen => listen.UseHttps(https));
        });
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            builder.Logging.AddProvider(logging);
        }

        var app = builder.Build();
        app.UseRouting();
        map(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new BerthException(ErrorKind.Conflict, $"{what} cannot listen on {endpoint}: {e.Message}; {hint}", e);
        }

        return new Running(app);
    }

    private sealed class Running(WebApplication app) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}
