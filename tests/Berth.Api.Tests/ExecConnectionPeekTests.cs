using System.Buffers;
using System.Text;
using Berth.Api.Endpoints;
using Berth.Api.Versioning;

namespace Berth.Api.Tests;

/// <summary>Which connections the exec middleware takes over: attached starts only, recognised from their head and JSON body.</summary>
public sealed class ExecConnectionPeekTests
{
    private static ExecConnectionHandler.Verdict Peek(string bytes) => ExecConnectionHandler.Peek(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(bytes)));

    private static string Start(string path, string body, bool upgrade = true) =>
        $"POST {path} HTTP/1.1\r\nHost: api.moby.localhost\r\nUser-Agent: Docker-Client/28.0.0 (linux)\r\nContent-Length: {body.Length}\r\n"
        + "Content-Type: application/json\r\n" + (upgrade ? "Connection: Upgrade\r\nUpgrade: tcp\r\n" : "") + "\r\n" + body;

    [Fact]
    public void AnAttachedStartIsTakenWithItsVersionAndLength()
    {
        string request = Start("/v1.41/exec/abc123/start", """{"Detach":false,"Tty":false}""");
        var start = Assert.IsType<ExecConnectionHandler.Verdict.Start>(Peek(request + "stdin bytes"));
        Assert.Equal("abc123", start.ExecId);
        Assert.Equal(new ApiVersion(1, 41), start.Version);
        Assert.Equal(request.Length, start.Length);
        Assert.Equal(ApiVersion.Maximum, Assert.IsType<ExecConnectionHandler.Verdict.Start>(Peek(Start("/exec/abc123/start", "{}"))).Version);
    }

    [Fact]
    public void AHeadOrBodyStillOnItsWayNeedsMore()
    {
        string request = Start("/v1.45/exec/abc123/start", """{"Detach":false,"Tty":true}""");
        Assert.IsType<ExecConnectionHandler.Verdict.NeedMore>(Peek(request[..40]));
        Assert.IsType<ExecConnectionHandler.Verdict.NeedMore>(Peek(request[..^5]));
    }

    [Theory]
    [InlineData("/v1.45/exec/abc123/start", """{"Detach":true,"Tty":false}""", true)]
    [InlineData("/v1.45/exec/abc123/start", """{"Detach":false,"Tty":false}""", false)]
    [InlineData("/v1.45/exec/abc123/start", "not json", true)]
    [InlineData("/v1.45/containers/abc123/exec", """{"Cmd":["true"]}""", true)]
    [InlineData("/v1.45/exec/abc123/json", "", true)]
    public void EverythingElseIsLeftToKestrel(string path, string body, bool upgrade) =>
        Assert.IsType<ExecConnectionHandler.Verdict.Other>(Peek(Start(path, body, upgrade)));
}
