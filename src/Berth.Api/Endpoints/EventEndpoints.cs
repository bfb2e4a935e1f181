using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Api.Events;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary>
/// <c>GET /events[?since=&amp;until=&amp;filters=]</c> (moby <c>getEvents</c>): 200 with the headers flushed at once, then
/// one JSON object per line. With <c>since</c> or <c>until</c> the remembered events in that window come first;
/// then, unless <c>until</c> has already passed, new events as they happen, until <c>until</c> or until the client
/// leaves. <c>since</c>/<c>until</c>: Unix seconds (with a fraction), RFC 3339, or a Go duration before now.
/// </summary>
internal sealed class EventEndpoints(EventHub events)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public void Map(IEndpointRouteBuilder routes) => routes.MapGet("/events", StreamAsync);

    /// <summary>Docker's shape of one event; the legacy <c>status</c>/<c>id</c>/<c>from</c> only for containers and images.</summary>
    internal static EventMessage ToMessage(EngineEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        bool legacy = e.Type is "container" or "image";
        long nanos = (e.Time - DateTimeOffset.UnixEpoch).Ticks * (1_000_000_000 / TimeSpan.TicksPerSecond);
        return new EventMessage
        {
            Status = legacy ? e.Action : null,
            Id = legacy ? e.ActorId : null,
            From = legacy ? e.Attributes.GetValueOrDefault("image") : null,
            Type = e.Type,
            Action = e.Action,
            Actor = new EventActor { ID = e.ActorId, Attributes = new Dictionary<string, string>(e.Attributes, StringComparer.Ordinal) },
            Time = e.Time.ToUnixTimeSeconds(),
            TimeNano = nanos,
        };
    }

    private async Task StreamAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var filter = EventFilter.Create(FilterArgs.Parse(query["filters"]));
        DateTimeOffset now = events.Now;
        DateTimeOffset? since = TimeOf(query["since"].ToString(), now);
        DateTimeOffset? until = TimeOf(query["until"].ToString(), now);
        if (since > until)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"`since` time ({query["since"]}) cannot be after `until` time ({query["until"]})");
        }

        var cancellationToken = context.RequestAborted;
        using var subscription = events.Subscribe();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = DockerJson.ContentType;
        await context.Response.StartAsync(cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);

        if (since is not null || until is not null)
        {
            foreach (var past in subscription.History)
            {
                if (past.Time >= (since ?? DateTimeOffset.MinValue) && past.Time <= (until ?? DateTimeOffset.MaxValue) && filter.Matches(past))
                {
                    await WriteAsync(context.Response.Body, past, cancellationToken);
                }
            }

            await context.Response.Body.FlushAsync(cancellationToken);
        }

        if (until is { } end && end <= now)
        {
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (until is { } stop)
        {
            deadline.CancelAfter(stop - now);
        }

        try
        {
            await foreach (var e in subscription.Live.ReadAllAsync(deadline.Token))
            {
                if (filter.Matches(e))
                {
                    await WriteAsync(context.Response.Body, e, deadline.Token);
                    await context.Response.Body.FlushAsync(deadline.Token);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // `until` has come: the stream ends there.
        }
    }

    private static DateTimeOffset? TimeOf(string value, DateTimeOffset now) => value.Length == 0 ? null : GoTimestamp.Parse(value, now);

    private static async Task WriteAsync(Stream body, EngineEvent e, CancellationToken cancellationToken)
    {
        await JsonSerializer.SerializeAsync(body, ToMessage(e), DockerJson.Context.EventMessage, cancellationToken);
        await body.WriteAsync(NewLine, cancellationToken);
    }
}
