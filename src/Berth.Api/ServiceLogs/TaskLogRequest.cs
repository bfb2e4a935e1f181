using System.Globalization;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.ServiceLogs;

/// <summary>
/// What <c>/services/{id}/logs</c> and <c>/tasks/{id}/logs</c> ask (moby's <c>LogsOptions</c>); the manager hands it
/// on to each task's node as the same query (<see cref="ToQuery"/>). <c>tail</c> counts per task, as Docker's does.
/// </summary>
internal sealed record TaskLogRequest
{
    public bool Stdout { get; init; }

    public bool Stderr { get; init; }

    public bool Follow { get; init; }

    public bool Timestamps { get; init; }

    /// <summary><c>k=v,…</c> before each line; the CLI always asks it (it reads node, service and task from there).</summary>
    public bool Details { get; init; }

    public int? Tail { get; init; }

    public long? SinceUnixNanos { get; init; }

    public ContainerLogQuery Query => new() { Stdout = Stdout, Stderr = Stderr, Tail = Tail, SinceUnixNanos = SinceUnixNanos };

    public static TaskLogRequest Parse(HttpRequest http)
    {
        var request = new TaskLogRequest
        {
            Stdout = QueryBool.Get(http, "stdout"),
            Stderr = QueryBool.Get(http, "stderr"),
            Follow = QueryBool.Get(http, "follow"),
            Timestamps = QueryBool.Get(http, "timestamps"),
            Details = QueryBool.Get(http, "details"),
            Tail = ContainerLogQuery.ParseTail(http.Query["tail"].ToString()),
            SinceUnixNanos = ContainerLogQuery.ParseTimestamp(http.Query["since"].ToString(), "since"),
        };
        return request.Stdout || request.Stderr
            ? request
            : throw new BerthException(ErrorKind.InvalidArgument, "Bad parameters: you must choose at least one stream");
    }

    /// <summary>The query string that <see cref="Parse"/> reads back as this request.</summary>
    public string ToQuery()
    {
        var parts = new List<string>
        {
            $"stdout={Bit(Stdout)}", $"stderr={Bit(Stderr)}", $"follow={Bit(Follow)}", $"timestamps={Bit(Timestamps)}", $"details={Bit(Details)}",
        };
        if (Tail is int tail)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"tail={tail}"));
        }

        if (SinceUnixNanos is long since)
        {
            long seconds = Math.DivRem(since, 1_000_000_000, out long nanos);
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"since={seconds}.{nanos:D9}"));
        }

        return "?" + string.Join('&', parts);
    }

    private static string Bit(bool value) => value ? "1" : "0";
}
