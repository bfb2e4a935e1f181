using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Berth.Cli.Client;

public sealed partial class DaemonClient
{
    /// <summary>
    /// A request whose body and reply are streams (import and load upload archives; pull, import and load reply with JSON
    /// lines; save replies with a tar). The reply's headers are read, an error status is thrown as
    /// <see cref="DaemonErrorException"/>, and the caller reads and disposes the rest.
    /// </summary>
    public Task<HttpResponseMessage> SendStreamingAsync(
        HttpMethod method, string pathAndQuery, Stream? body, string? contentType, CancellationToken cancellationToken = default) =>
        SendStreamingAsync(method, pathAndQuery, body, contentType, null, cancellationToken);

    /// <summary>With request headers of its own (<c>X-Registry-Auth</c> on a pull).</summary>
    public async Task<HttpResponseMessage> SendStreamingAsync(
        HttpMethod method, string pathAndQuery, Stream? body, string? contentType, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, ApiVersionPrefix + pathAndQuery) { Version = HttpVersion.Version11 };
        AddHeaders(request, headers);
        if (body is not null)
        {
            request.Content = new StreamContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/octet-stream");
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new DaemonUnavailableException(host, e);
        }

        var status = (int)response.StatusCode;
        if (status >= 400)
        {
            using (response)
            {
                var error = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                throw new DaemonErrorException(status, ErrorMessage(error, status));
            }
        }

        return response;
    }
}
