using System.Globalization;
using System.Text;

namespace Berth.Cli.Tests;

/// <summary>
/// The container side of the fake: create/start/stop/… answers, a list for <c>ps</c>, waits whose body is held until start
/// arrives (as a real daemon's would be until the exit), and hijacked streams: <c>101 UPGRADED</c>, then — once the client has
/// half-closed its side, whatever it sent recorded as <see cref="Stdin"/> and echoed back on stdout — <see cref="HijackOutput"/>.
/// </summary>
public sealed partial class FakeDaemon
{
    public const string ContainerId = "c0ffee0000000000000000000000000000000000000000000000000000000000";
    public const string BadCommandId = "badc0de000000000000000000000000000000000000000000000000000000000";
    public const string ExecId = "e1e1e1";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The exit code the wait body carries.</summary>
    public int WaitStatus { get; set; } = 3;

    /// <summary>What a hijacked stream sends after the echo: by default one stdout and one stderr frame.</summary>
    public byte[] HijackOutput { get; set; } = [.. Frame(1, "out\n"), .. Frame(2, "err\n")];

    public string Stdin { get; private set; } = "";

    /// <summary>True once the client shut down its write side (EOF seen) before the output was sent.</summary>
    public bool HalfClosed { get; private set; }

    public int ExecExitCode { get; set; } = 2;

    /// <summary>GET /containers/json: one running container published on a port range and a host port, one exited one made from an image ID.</summary>
    public static string ContainersJson(DateTimeOffset now) => """
        [{"Id":"a1b2c3d4e5f60000000000000000000000000000000000000000000000000000","Names":["/web"],"Image":"bb:latest","ImageID":"sha256:9999999999999999999999999999999999999999999999999999999999999999","Command":"sh -c 'echo hello; sleep 1000'","Created":CREATED1,"Ports":[{"IP":"127.0.0.1","PrivatePort":80,"PublicPort":18080,"Type":"tcp"},{"PrivatePort":443,"Type":"tcp"},{"PrivatePort":444,"Type":"tcp"}],"Labels":{"b":"2","a":"1"},"State":"running","Status":"Up 3 hours","HostConfig":{"NetworkMode":"n1"},"NetworkSettings":{"Networks":{"n1":{"IPAddress":"10.1.0.5"}}},"Mounts":[]},
         {"Id":"ffeeddccbbaa1111111111111111111111111111111111111111111111111111","Names":["/x"],"Image":"sha256:9999999999999999999999999999999999999999999999999999999999999999","ImageID":"sha256:9999999999999999999999999999999999999999999999999999999999999999","Command":"sleep 1","Created":CREATED2,"Ports":[],"Labels":{},"State":"exited","Status":"Exited (0) 2 minutes ago","HostConfig":{"NetworkMode":"default"},"NetworkSettings":{"Networks":{}},"Mounts":[]}]
        """
        .Replace("CREATED1", now.AddHours(-3).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("CREATED2", now.AddSeconds(-4000).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public static byte[] Frame(byte stream, string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        var frame = new byte[8 + bytes.Length];
        frame[0] = stream;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)bytes.Length);
        bytes.CopyTo(frame, 8);
        return frame;
    }

    private static string PathOf(string target)
    {
        var path = target.Split('?')[0];
        return path.StartsWith("/v1.", StringComparison.Ordinal) ? path[path.IndexOf('/', 1)..] : path;
    }

    private (int Status, string Json)? AnswerContainers(string method, string target, string body)
    {
        var path = PathOf(target);
        var noSuch = (404, """{"message":"No such container: nosuch"}""");
        if ((path.Contains("/nosuch", StringComparison.Ordinal) && path.StartsWith("/containers/", StringComparison.Ordinal)) || path is "/containers/bridge/json" or "/containers/host/json")
        {
            return noSuch;
        }

        switch (method, path)
        {
            case ("POST", "/containers/create"):
                return body.Contains("\"Image\":\"nosuchimage\"", StringComparison.Ordinal) && !Requests.Any(r => r.Contains("/images/create", StringComparison.Ordinal))
                    ? (404, """{"message":"No such image: nosuchimage:latest"}""")
                    : (201, $$"""{"Id":"{{(body.Contains("\"Image\":\"badcmd\"", StringComparison.Ordinal) ? BadCommandId : ContainerId)}}","Warnings":[]}""");
            case ("POST", "/images/create"):
                return (200, "{\"status\":\"latest: Pulling from library/nosuchimage\"}\n{\"status\":\"Downloading\",\"progressDetail\":{\"current\":1,\"total\":2},\"id\":\"abc\"}\n{\"status\":\"Status: Downloaded newer image for nosuchimage:latest\"}\n");
            case ("POST", _) when path.EndsWith("/start", StringComparison.Ordinal) && path.StartsWith("/containers/", StringComparison.Ordinal):
                started.TrySetResult();
                return path.Contains(BadCommandId, StringComparison.Ordinal)
                    ? (400, """{"message":"failed to create task for container: exec: \"nosuchcmd\": executable file not found in $PATH: unknown"}""")
                    : (204, "");
            case ("POST", _) when path.EndsWith("/stop", StringComparison.Ordinal) || path.EndsWith("/kill", StringComparison.Ordinal)
                || path.EndsWith("/restart", StringComparison.Ordinal) || path.EndsWith("/resize", StringComparison.Ordinal):
            case ("DELETE", _) when path.StartsWith("/containers/", StringComparison.Ordinal):
                return (204, "");
            case ("GET", "/containers/json"):
                return (200, ContainersJson(DateTimeOffset.UtcNow));
            case ("POST", "/containers/prune"):
                return (200, """{"ContainersDeleted":["a1","b2"],"SpaceReclaimed":1500}""");
            case ("GET", _) when path.StartsWith("/containers/", StringComparison.Ordinal) && path.EndsWith("/json", StringComparison.Ordinal):
                var tty = path.Contains("ttyc", StringComparison.Ordinal) ? "true" : "false";
                return (200, """{"Id":"ID","Name":"/x","Created":"2025-01-02T03:04:05.5Z","Config":{"Tty":TTY,"OpenStdin":true},"State":{"Status":"running","Running":true},"HostConfig":{"AutoRemove":false},"NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"::","HostPort":"8080"}],"81/udp":null}}}""".Replace("ID", ContainerId, StringComparison.Ordinal).Replace("TTY", tty, StringComparison.Ordinal));
            case ("GET", _) when path.EndsWith("/logs", StringComparison.Ordinal):
                return (200, Encoding.UTF8.GetString([.. Frame(1, "line1\n"), .. Frame(2, "oops\n"), .. Frame(1, "line2\n")]));
            case ("POST", _) when path.EndsWith("/exec", StringComparison.Ordinal):
                return (201, $$"""{"Id":"{{ExecId}}"}""");
            case ("POST", _) when path == $"/exec/{ExecId}/start":
                return (200, "");
            case ("GET", _) when path == $"/exec/{ExecId}/json":
                return (200, $$"""{"ID":"{{ExecId}}","Running":false,"ExitCode":{{ExecExitCode}}}""");
            default:
                return null;
        }
    }

    /// <summary>Headers at once; the body only after start (run, start -a) — or at once for a plain <c>wait</c>.</summary>
    private async Task ServeWaitAsync(Stream stream, string target)
    {
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nApi-Version: 1.45\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray());
        await stream.FlushAsync();
        if (target.Contains("condition=", StringComparison.Ordinal))
        {
            await started.Task.WaitAsync(StepTimeout);
        }

        var body = $"{{\"StatusCode\":{WaitStatus.ToString(CultureInfo.InvariantCulture)},\"Error\":null}}\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{body.Length:x}\r\n{body}\r\n0\r\n\r\n"));
    }

    private async Task ServeHijackAsync(Stream stream, StreamReader reader, string target)
    {
        await stream.WriteAsync("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"u8.ToArray());
        await stream.FlushAsync();
        var input = new StringBuilder();
        var buffer = new char[256];
        using var timeout = new CancellationTokenSource(StepTimeout);
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory(), timeout.Token)) > 0)
            {
                input.Append(buffer, 0, read);
            }

            HalfClosed = true;
        }
        catch (OperationCanceledException)
        {
            // The client never half-closed: HalfClosed stays false and the test says so.
        }

        Stdin = input.ToString();
        if (PathOf(target).StartsWith("/containers/", StringComparison.Ordinal))
        {
            await started.Task.WaitAsync(StepTimeout);
        }

        if (Stdin.Length > 0)
        {
            await stream.WriteAsync(Frame(1, Stdin));
        }

        await stream.WriteAsync(HijackOutput);
        await stream.FlushAsync();
    }
}
