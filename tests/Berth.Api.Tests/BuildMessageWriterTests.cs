using System.Text;
using Berth.Api.Endpoints;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Tests;

/// <summary>A build's JSON message stream as the docker CLI reads it: stream text, aux id, errors with the exit code.</summary>
public sealed class BuildMessageWriterTests
{
    [Fact]
    public async Task StepsTheImageIdAndAFailureAreDockersMessages()
    {
        var (context, body) = NewResponse();
        var writer = new BuildMessageWriter(context.Response, quiet: false);
        Assert.False(writer.Started);

        await writer.WriteAsync("Step 1/2 : FROM bb:latest\n");
        await writer.ImageBuiltAsync("sha256:abc");
        await writer.FailAsync("The command '/bin/sh -c exit 3' returned a non-zero code: 3", 3, CancellationToken.None);

        Assert.True(writer.Started);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(
            "{\"stream\":\"Step 1/2 : FROM bb:latest\\n\"}\n" +
            "{\"aux\":{\"ID\":\"sha256:abc\"}}\n" +
            "{\"errorDetail\":{\"code\":3,\"message\":\"The command \\u0027/bin/sh -c exit 3\\u0027 returned a non-zero code: 3\"},\"error\":\"The command \\u0027/bin/sh -c exit 3\\u0027 returned a non-zero code: 3\"}\n",
            Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task QuietHoldsTheOutputBackUnlessTheBuildFails()
    {
        var (context, body) = NewResponse();
        var writer = new BuildMessageWriter(context.Response, quiet: true);
        await writer.WriteAsync("Step 1/1 : RUN false\n");
        Assert.False(writer.Started);
        Assert.Equal(0, body.Length);

        await writer.FailAsync("failed", 1, CancellationToken.None);
        Assert.Equal(
            "{\"stream\":\"Step 1/1 : RUN false\\n\"}\n{\"errorDetail\":{\"code\":1,\"message\":\"failed\"},\"error\":\"failed\"}\n",
            Encoding.UTF8.GetString(body.ToArray()));
    }

    private static (DefaultHttpContext Context, MemoryStream Body) NewResponse()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        return (context, body);
    }
}
