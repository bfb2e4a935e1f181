using System.Text;
using Berth.Api.Http;
using Berth.Cluster.Services;
using Berth.Runtime.Containers;

namespace Berth.Api.ServiceLogs;

/// <summary>
/// One line of a task's log as Docker's service logs send it (moby's <c>WriteLogStream</c>): the timestamp with
/// <c>timestamps=1</c>, then with <c>details=1</c> the details (<c>k=v,…</c>, each side query-escaped) and a space,
/// then the line. A task's details end with its context — node, service and task id, in that order — which the CLI
/// requires ("missing node id in details") and which win over any other detail of the same key.
/// </summary>
internal static class TaskLogLine
{
    /// <summary>The details of a task container's lines, from the labels the agent gave it (<see cref="TaskContainers"/>).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ContextOf(IReadOnlyDictionary<string, string> labels) =>
    [
        new(TaskContainers.NodeIdLabel, labels.GetValueOrDefault(TaskContainers.NodeIdLabel, "")),
        new(TaskContainers.ServiceIdLabel, labels.GetValueOrDefault(TaskContainers.ServiceIdLabel, "")),
        new(TaskContainers.TaskIdLabel, labels.GetValueOrDefault(TaskContainers.TaskIdLabel, "")),
    ];

    public static LogFrame Frame(LogRecord record, IReadOnlyList<KeyValuePair<string, string>> details, TaskLogRequest request)
    {
        var prefix = new StringBuilder();
        if (request.Timestamps)
        {
            prefix.Append(DockerStreamFraming.TimestampPrefix(record.UnixNanos));
        }

        if (request.Details)
        {
            prefix.Append(Details(details)).Append(' ');
        }

        return new LogFrame(DockerStreamFraming.Of(record.Stream), [.. Encoding.UTF8.GetBytes(prefix.ToString()), .. record.Output()]);
    }

    /// <summary><c>k=v,k=v</c>, keys and values escaped as Go's <c>url.QueryEscape</c> does (the CLI unescapes them).</summary>
    public static string Details(IReadOnlyList<KeyValuePair<string, string>> details) =>
        string.Join(',', details.Select(pair => $"{QueryEscape(pair.Key)}={QueryEscape(pair.Value)}"));

    /// <summary>Go's <c>url.QueryEscape</c>: unreserved characters kept, space as <c>+</c>, every other UTF-8 byte as <c>%XX</c>.</summary>
    public static string QueryEscape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                escaped.Append(c);
            }
            else if (c == ' ')
            {
                escaped.Append('+');
            }
            else
            {
                escaped.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }
}
