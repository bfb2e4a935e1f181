using System.Collections.Concurrent;
using Berth.Core.Errors;
using Berth.Runtime.Images;

namespace Berth.Cluster.Services;

/// <summary>A task's image: pulled in its preparing state when this node does not have it (TaskImages).</summary>
public sealed partial class TaskAgent
{
    /// <summary>Pulls in flight, by image and user: tasks of one service starting together on a node pull once.</summary>
    private readonly ConcurrentDictionary<string, Lazy<Task>> _pulls = new(StringComparer.Ordinal);

    /// <summary>
    /// Pulls the task's image if this node lacks it, with its service's registry credentials (a manager opens them; a
    /// worker asks a manager). Docker's executor goes on when a pull fails (the container is made from a local image
    /// if there is one), so this does too; what went wrong is returned for the task's error, null when nothing did.
    /// Unlike Docker's, an image already here is not pulled again: a mutable tag is refreshed only when the CLI pinned
    /// its digest (it does unless <c>--no-resolve-image</c>), whose absence here makes the pull.
    /// </summary>
    private async Task<string?> PullImageAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        string image = task.Spec.Container.Image;
        if (_images is null || _images.Has(image))
        {
            return null;
        }

        try
        {
            RegistryCredentials? credentials = null;
            if (task.Spec.Container.SealedRegistryAuth is not null && _files?.FetchRegistryAuth is { } fetch)
            {
                credentials = RegistryAuthConfig.FromHeader(await fetch(task.Id, cancellationToken).ConfigureAwait(false))?.Credentials();
            }

            string key = image + "\n" + (credentials?.Username ?? "");
            // GetOrAdd may run its factory twice in a race; only the Lazy it keeps is ever started.
            var pull = _pulls.GetOrAdd(key, _ => new Lazy<Task>(() => PullOnceAsync(key, image, credentials)));
            await pull.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            ServicesAgentLog.ImagePulled(_logger, image, task.Id.Value, credentials is null ? "" : $" as {credentials.Username}");
            return null;
        }
        catch (Exception e) when (e is BerthException or HttpRequestException or IOException or System.Text.Json.JsonException)
        {
            ServicesAgentLog.ImagePullFailed(_logger, image, task.Id.Value, e.Message);
            return e.Message;
        }
    }

    /// <summary>
    /// One pull, shared by the tasks waiting for it, ended by berthd's stop rather than by any one task's. A task that
    /// comes just after another's pull ended finds the image here and pulls nothing.
    /// </summary>
    private async Task PullOnceAsync(string key, string image, RegistryCredentials? credentials)
    {
        try
        {
            await Task.Yield();
            if (!_images!.Has(image))
            {
                await _images.PullAsync(image, credentials, _stopping.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            _pulls.TryRemove(key, out _);
        }
    }
}
