using System.Collections.Concurrent;

namespace Berth.Runtime.Containers;

/// <summary>
/// Wakes waiters when a file of a directory is written, created or renamed into place (inotify, through
/// <see cref="FileSystemWatcher"/>). conmon and runc write their pid and exit files by rename, so
/// waiting here costs nothing until the file appears — where a poll per container would cost CPU that
/// grows with the number of containers. Events can be lost (the kernel queue overflows), so callers
/// still re-check on a slow timer: an event only makes them look sooner.
/// </summary>
public sealed class DirectoryWatch : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    public DirectoryWatch(string directory)
    {
        Directory.CreateDirectory(directory);
        _watcher = new FileSystemWatcher(directory)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            IncludeSubdirectories = false,
        };
        _watcher.Created += (_, e) => Wake(e.Name);
        _watcher.Changed += (_, e) => Wake(e.Name);
        _watcher.Renamed += (_, e) => Wake(e.Name);
        _watcher.Error += (_, _) => WakeAll();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>
    /// A task that completes at the next event for <paramref name="name"/> (or any lost-event signal).
    /// Take it before checking the file, then await it: a write between the check and the await is not missed.
    /// </summary>
    public Task Next(string name) =>
        _waiters.GetOrAdd(name, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Waits for the next event for <paramref name="name"/>, at most <paramref name="max"/>.</summary>
    public static async Task WaitAsync(Task next, TimeSpan max, CancellationToken cancellationToken)
    {
        try
        {
            await next.WaitAsync(max, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The slow re-check: events are a hint, the file is the truth.
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        WakeAll();
    }

    private void Wake(string? name)
    {
        if (name is not null && _waiters.TryRemove(name, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    private void WakeAll()
    {
        foreach (string name in _waiters.Keys)
        {
            Wake(name);
        }
    }
}
