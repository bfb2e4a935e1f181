using System.Net;
using System.Text.Json;
using Berth.Cluster.Identity;
using Berth.Cluster.Secrets;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Store;

namespace Berth.Cluster.NodeChannel;

/// <summary>
/// A worker's way to its tasks' secrets and configs, <c>GET /tasks/{id}/files</c>, and registry credentials,
/// <c>GET /tasks/{id}/registry-auth</c>, on a manager's node channel (mutual TLS; the manager checks that the client
/// certificate's node is the task's). Managers with a heartbeat are asked first; one that does not answer is skipped,
/// one that refuses is final.
/// </summary>
public sealed class TaskFileClient(IStateStore store, NodeChannelCredentialSource credentials, int port = NodeChannelSession.Port)
{
    /// <summary>A manager that has not answered within this is skipped (the answer is a few small files).</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The path the channel serves it at.</summary>
    public static string PathOf(TaskId task) => $"/tasks/{task.Value}/files";

    /// <summary>Where the channel serves a task's registry credentials: 200 with the client's header as text, 204 for none.</summary>
    public static string RegistryAuthPathOf(TaskId task) => $"/tasks/{task.Value}/registry-auth";

    public Task<IReadOnlyList<TaskFileData>> FetchAsync(TaskId task, CancellationToken cancellationToken = default) =>
        AskManagersAsync(task, PathOf(task), "secrets", async (response, ct) =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            return (IReadOnlyList<TaskFileData>)(await JsonSerializer.DeserializeAsync(body, SecretsJsonContext.Default.ListTaskFileData, ct).ConfigureAwait(false) ?? []);
        }, cancellationToken);

    public Task<string?> FetchRegistryAuthAsync(TaskId task, CancellationToken cancellationToken = default) =>
        AskManagersAsync(task, RegistryAuthPathOf(task), "registry credentials", async (response, ct) =>
        {
            string text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return text.Length == 0 ? null : text;
        }, cancellationToken);

    private async Task<T> AskManagersAsync<T>(TaskId task, string path, string what, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var alive = (await store.ListAsync(ClusterKeys.Heartbeats, cancellationToken).ConfigureAwait(false))
            .Select(e => e.Key[ClusterKeys.Heartbeats.Length..]).ToHashSet(StringComparer.Ordinal);
        var managers = (await store.ListAsync(ClusterKeys.Nodes, cancellationToken).ConfigureAwait(false))
            .Select(e => SwarmRecords.Node(e.Value))
            .Where(n => n.Role == ClusterRole.Manager)
            .OrderByDescending(n => alive.Contains(n.Id.Value))
            .ToList();
        using var handler = NodeChannelHttp.Handler(credentials.Current());
        using var http = new HttpClient(handler) { Timeout = RequestTimeout };
        var failures = new List<string>();
        foreach (NodeRecord manager in managers)
        {
            var uri = new UriBuilder(Uri.UriSchemeHttps, manager.Address, port, path).Uri;
            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                failures.Add($"{manager.Address}: {e.Message}");
                continue;
            }

            using (response)
            {
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent)
                {
                    return await read(response, cancellationToken).ConfigureAwait(false);
                }

                string reason = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
                if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                {
                    throw new BerthException(response.StatusCode == HttpStatusCode.NotFound ? ErrorKind.NotFound : ErrorKind.Forbidden,
                        $"manager {manager.Address} refused the {what} of task {task.Value}: {reason}");
                }

                failures.Add($"{manager.Address}: {(int)response.StatusCode} {reason}");
            }
        }

        throw new BerthException(ErrorKind.Unavailable,
            $"no manager handed over the {what} of task {task.Value} ({(failures.Count == 0 ? "no managers known" : string.Join("; ", failures))}); the task is retried by its restart policy");
    }
}
