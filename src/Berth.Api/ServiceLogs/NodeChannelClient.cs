using System.Net;
using System.Runtime.CompilerServices;
using Berth.Cluster.Identity;
using Berth.Cluster.NodeChannel;
using Berth.Core.Errors;

namespace Berth.Api.ServiceLogs;

/// <summary>
/// Asks another node's channel for a task's log: HTTPS to <c>address:7946</c> with this node's certificate as the
/// client's, trusting only a server certificate of this cluster's CA. The answer is Docker's frames, read back whole.
/// </summary>
internal sealed class NodeChannelClient(NodeChannelCredentialSource credentials, int port = NodeChannelSession.Port)
{
    public async IAsyncEnumerable<LogFrame> TaskLogAsync(string address, TaskId task, TaskLogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var current = credentials.Current();
        using var handler = NodeChannelHttp.Handler(current);
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var uri = new UriBuilder(Uri.UriSchemeHttps, address, port, $"/tasks/{task.Value}/logs") { Query = request.ToQuery() }.Uri;
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new BerthException(ErrorKind.Unavailable, $"node at {address}:{port} does not answer for task {task}: {e.Message}", e);
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                string reason = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new BerthException(response.StatusCode == HttpStatusCode.NotFound ? ErrorKind.NotFound : ErrorKind.Unavailable,
                    $"node at {address}:{port} refused the log of task {task}: {(int)response.StatusCode} {reason.Trim()}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await foreach (LogFrame frame in LogFrameReader.ReadAsync(body, cancellationToken).ConfigureAwait(false))
            {
                yield return frame;
            }
        }
    }
}
