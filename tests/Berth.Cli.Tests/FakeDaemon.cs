using System.Net.Sockets;
using System.Text;

namespace Berth.Cli.Tests;

/// <summary>
/// A tiny HTTP/1.1 daemon on a temp unix socket answering canned responses: enough for berth and for the real docker CLI
/// (which sends <c>HEAD /_ping</c> first). Records every request line and body. Container routes, streamed waits and hijacked
/// (101) attach/exec streams are in FakeDaemon.Containers.cs.
/// </summary>
public sealed partial class FakeDaemon : IDisposable
{
    public const string NetworksJson = """
        [{"Name":"bridge","Id":"f0e1d2c3b4a5968778695a4b3c2d1e0f0e1d2c3b4a5968778695a4b3c2d1e0f","Created":"2025-01-02T03:04:05.123456789Z","Scope":"local","Driver":"bridge","EnableIPv6":false,"IPAM":{"Driver":"default","Options":null,"Config":[{"Subnet":"172.17.0.0/16","Gateway":"172.17.0.1"}]},"Internal":false,"Attachable":false,"Ingress":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,"Containers":{},"Options":{"com.docker.network.bridge.default_bridge":"true"},"Labels":{}},
         {"Name":"a-very-long-network-name-here","Id":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","Created":"2025-03-04T05:06:07.5Z","Scope":"local","Driver":"macvlan","EnableIPv6":true,"IPAM":{"Driver":"default","Options":{},"Config":[]},"Internal":true,"Attachable":false,"Ingress":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,"Containers":{},"Options":{},"Labels":{"foo":"bar","a":"b"}},
         {"Name":"host","Id":"aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999","Created":"2025-01-02T03:04:05Z","Scope":"local","Driver":"host","EnableIPv6":false,"IPAM":{"Driver":"default","Options":null,"Config":null},"Internal":false,"Attachable":false,"Ingress":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,"Containers":{},"Options":{},"Labels":{}}]
        """;

    private readonly Socket listener;
    private readonly CancellationTokenSource stop = new();
    private readonly string directory;

    public FakeDaemon()
    {
        directory = Directory.CreateTempSubdirectory("berth-cli-").FullName;
        SocketPath = Path.Combine(directory, "d.sock");
        listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen(16);
        _ = AcceptLoopAsync();
    }

    public string SocketPath { get; }

    public string Uri => "unix://" + SocketPath;

    public List<string> Requests { get; } = [];

    /// <summary>"METHOD /path HEADER" for each request that carried an <c>X-Registry-Auth</c> header.</summary>
    public List<string> RegistryAuths { get; } = [];

    /// <summary>Answers tried before the canned network ones: (method, path without version and query) → status and body, or null.</summary>
    public Func<string, string, (int Status, string Json)?>? Routes { get; set; }

    public void Dispose()
    {
        stop.Cancel();
        listener.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var stream = new NetworkStream(client, ownsSocket: true);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        try
        {
            while (await reader.ReadLineAsync() is { Length: > 0 } requestLine)
            {
                var length = 0;
                var upgrade = false;
                string? registryAuth = null;
                while (await reader.ReadLineAsync() is { Length: > 0 } header)
                {
                    if (header.StartsWith("X-Registry-Auth:", StringComparison.OrdinalIgnoreCase))
                    {
                        registryAuth = header["X-Registry-Auth:".Length..].Trim();
                    }

                    if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        length = int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }

                    upgrade |= header.Equals("Upgrade: tcp", StringComparison.OrdinalIgnoreCase);
                }

                var body = new char[length];
                var read = 0;
                while (read < length)
                {
                    read += await reader.ReadAsync(body.AsMemory(read));
                }

                var parts = requestLine.Split(' ');
                lock (Requests)
                {
                    Requests.Add($"{parts[0]} {parts[1]}{(upgrade ? " [upgrade]" : "")} {new string(body)}".TrimEnd());
                    if (registryAuth is not null)
                    {
                        RegistryAuths.Add($"{parts[0]} {PathOf(parts[1])} {registryAuth}");
                    }
                }

                if (upgrade)
                {
                    await ServeHijackAsync(stream, reader, parts[1]);
                    return;
                }

                if (parts[0] == "POST" && parts[1].Contains("/wait", StringComparison.Ordinal))
                {
                    await ServeWaitAsync(stream, parts[1]);
                    continue;
                }

                var (status, json) = Routes?.Invoke(parts[0], PathOf(parts[1])) ?? AnswerContainers(parts[0], parts[1], new string(body)) ?? Answer(parts[0], parts[1]);
                var payload = parts[0] == "HEAD" || status == 204 ? "" : json;
                var response = $"HTTP/1.1 {status} X\r\nApi-Version: 1.45\r\nOstype: linux\r\nContent-Type: application/json\r\n" +
                    (status == 204 ? "" : $"Content-Length: {Encoding.UTF8.GetByteCount(json)}\r\n") + "\r\n" + payload;
                await stream.WriteAsync(Encoding.UTF8.GetBytes(response));
            }
        }
        catch (IOException)
        {
            // The client hung up.
        }
    }

    private static (int Status, string Json) Answer(string method, string target)
    {
        var path = PathOf(target);

        const string networkPrefix = "/networks/";
        var name = path.StartsWith(networkPrefix, StringComparison.Ordinal) ? System.Uri.UnescapeDataString(path[networkPrefix.Length..]) : "";
        var known = name is "bridge" or "host" || "f0e1d2c3b4a5968778695a4b3c2d1e0f".StartsWith(name, StringComparison.Ordinal) && name.Length > 0;
        var notFound = (404, $$"""{"message":"network {{name}} not found"}""");
        return (method, path) switch
        {
            (_, "/_ping") => (200, "OK"),
            ("GET", "/networks") => (200, NetworksJson),
            ("POST", "/networks/create") => (201, """{"Id":"abababababababababababababababababababababababababababababababab","Warning":""}"""),
            ("POST", "/networks/prune") => (200, """{"NetworksDeleted":["n1","n2"]}"""),
            ("GET", "/version") => (200, """{"Platform":{"Name":"Berth"},"Version":"0.1.0","ApiVersion":"1.45","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"}"""),
            ("GET", _) when name.Length > 0 => known ? (200, NetworkJson(name)) : notFound,
            ("DELETE", _) when name.Length > 0 => known ? (204, "") : notFound,
            _ => (404, """{"message":"page not found"}"""),
        };
    }

    private static string NetworkJson(string name)
    {
        using var document = System.Text.Json.JsonDocument.Parse(NetworksJson);
        return document.RootElement.EnumerateArray().First(n => n.GetProperty("Name").GetString() == name || n.GetProperty("Id").GetString()!.StartsWith(name, StringComparison.Ordinal)).GetRawText();
    }
}
