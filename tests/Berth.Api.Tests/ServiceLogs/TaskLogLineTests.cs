using System.Text;
using Berth.Api.ServiceLogs;
using Berth.Runtime.Containers;

namespace Berth.Api.Tests.ServiceLogs;

/// <summary>A service log line as the CLI's <c>service logs</c> parses it: timestamp, details with the task's context, line.</summary>
public sealed class TaskLogLineTests
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["com.docker.swarm.task.id"] = "t0000000000000000000000001",
        ["com.docker.swarm.service.id"] = "s0000000000000000000000001",
        ["com.docker.swarm.node.id"] = "n0000000000000000000000001",
        ["com.docker.swarm.task.name"] = "web.1.t0000000000000000000000001",
        ["user"] = "label",
    };

    private static readonly LogRecord Line = new(1_700_000_000_123_456_789, LogStream.Stderr, Partial: false, "hello world"u8.ToArray());

    [Fact]
    public void Details_are_node_service_task_in_that_order_before_the_line()
    {
        var frame = TaskLogLine.Frame(Line, TaskLogLine.ContextOf(Labels), new TaskLogRequest { Stdout = true, Stderr = true, Details = true });

        Assert.Equal(2, frame.Stream);
        Assert.Equal(
            "com.docker.swarm.node.id=n0000000000000000000000001,com.docker.swarm.service.id=s0000000000000000000000001,com.docker.swarm.task.id=t0000000000000000000000001 hello world\n",
            Encoding.UTF8.GetString(frame.Payload));
    }

    [Fact]
    public void The_timestamp_comes_first_then_the_details()
    {
        var frame = TaskLogLine.Frame(Line, TaskLogLine.ContextOf(Labels), new TaskLogRequest { Stdout = true, Timestamps = true, Details = true });

        string text = Encoding.UTF8.GetString(frame.Payload);
        string[] parts = text.Split(' ', 3);
        Assert.Equal("2023-11-14T22:13:20.123456789Z", parts[0]);
        Assert.StartsWith("com.docker.swarm.node.id=", parts[1], StringComparison.Ordinal);
        Assert.Equal("hello world\n", parts[2]);
    }

    [Fact]
    public void Without_details_or_timestamps_the_line_is_as_written()
    {
        var frame = TaskLogLine.Frame(Line with { Stream = LogStream.Stdout, Partial = true }, TaskLogLine.ContextOf(Labels), new TaskLogRequest { Stdout = true });

        Assert.Equal(1, frame.Stream);
        Assert.Equal("hello world"u8.ToArray(), frame.Payload);
    }

    [Theory]
    [InlineData("com.docker.swarm.node.id", "com.docker.swarm.node.id")]
    [InlineData("a b,c=d", "a+b%2Cc%3Dd")]
    [InlineData("é~_-.", "%C3%A9~_-.")]
    public void Keys_and_values_are_escaped_as_gos_QueryEscape(string text, string escaped) =>
        Assert.Equal(escaped, TaskLogLine.QueryEscape(text));

    [Fact]
    public void The_request_goes_to_the_node_as_the_same_query()
    {
        var request = new TaskLogRequest { Stdout = true, Follow = true, Details = true, Tail = 5, SinceUnixNanos = 1_700_000_000_000_000_042 };
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString(request.ToQuery());

        Assert.Equal(request, TaskLogRequest.Parse(context.Request));
    }
}
