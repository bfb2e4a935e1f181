using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Api.Contracts;

namespace Berth.Cli.Client;

/// <summary>
/// HTTP/1.1 to the daemon. Every path carries <see cref="ApiVersionPrefix"/> so no <c>/_ping</c> negotiation is needed:
/// one request per command, which keeps <c>berth network ls</c> at a single round trip.
/// </summary>
public sealed partial class DaemonClient : IDisposable
{
    /// <summary>The newest API version berthd speaks (it accepts 1.24 to 1.45).</summary>
    public const string ApiVersion = "1.45";
    public const string ApiVersionPrefix = "/v" + ApiVersion;

    private const string RequestHost = "api.moby.localhost"; // what docker's CLI 28 sends; the daemon ignores it

    private const string UserAgent = "Berth-Client/" + ApiVersion;

    private readonly HttpClient http;
    private readonly DaemonHost host;

    public DaemonClient(DaemonHost host)
    {
        this.host = host;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = ConnectAsync,
        };
        http = new HttpClient(handler)
        {
            BaseAddress = new Uri($"http://{RequestHost}"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Berth-Client", ApiVersion));
    }

    public Task<DaemonResponse> SendAsync(HttpMethod method, string pathAndQuery, byte[]? jsonBody = null, CancellationToken cancellationToken = default) =>
        SendAsync(method, pathAndQuery, jsonBody, null, cancellationToken);

    /// <summary>With request headers of its own (<c>X-Registry-Auth</c>).</summary>
    public async Task<DaemonResponse> SendAsync(HttpMethod method, string pathAndQuery, byte[]? jsonBody, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken = default)
    {
        using var response = await SendCoreAsync(method, pathAndQuery, jsonBody, headers, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new DaemonResponse((int)response.StatusCode, body);
    }

    /// <summary>
    /// Returns as soon as the response headers are in (wait, logs): the body streams on, on a connection of its own, while
    /// other requests go out on others.
    /// </summary>
    public async Task<DaemonStream> SendStreamingAsync(HttpMethod method, string pathAndQuery, byte[]? jsonBody = null, CancellationToken cancellationToken = default)
    {
        var response = await SendCoreAsync(method, pathAndQuery, jsonBody, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            return new DaemonStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpMethod method, string pathAndQuery, byte[]? jsonBody, IReadOnlyDictionary<string, string>? headers, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, ApiVersionPrefix + pathAndQuery) { Version = HttpVersion.Version11 };
        AddHeaders(request, headers);
        if (jsonBody is not null)
        {
            request.Content = new ByteArrayContent(jsonBody);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new DaemonUnavailableException(host, e);
        }

        var status = (int)response.StatusCode;
        if (status < 400)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            throw new DaemonErrorException(status, ErrorMessage(body, status));
        }
    }

    public void Dispose() => http.Dispose();

    private static void AddHeaders(HttpRequestMessage request, IReadOnlyDictionary<string, string>? headers)
    {
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    internal static string ErrorMessage(byte[] body, int status)
    {
        try
        {
            var error = JsonSerializer.Deserialize(body, DockerJsonContext.Default.ErrorResponse);
            if (!string.IsNullOrEmpty(error?.Message))
            {
                return error.Message;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page, say): fall through to the raw text.
        }

        var text = System.Text.Encoding.UTF8.GetString(body).Trim();
        return text.Length > 0 ? text : $"HTTP status {status}";
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        new NetworkStream(await OpenSocketAsync(cancellationToken).ConfigureAwait(false), ownsSocket: true);

    private async Task<Socket> OpenSocketAsync(CancellationToken cancellationToken)
    {
        Socket socket;
        EndPoint endpoint;
        if (host.IsUnix)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            endpoint = new UnixDomainSocketEndPoint(host.SocketPath);
        }
        else
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var (name, port) = host.TcpEndpoint;
            endpoint = new DnsEndPoint(name, port);
        }

        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            throw;
        }
    }
}
