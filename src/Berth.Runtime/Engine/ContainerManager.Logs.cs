using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>Reading a container's output, and keeping it while an attach still streams it.</summary>
public sealed partial class ContainerManager
{
    /// <summary>True once the container has exited (or is gone): its log will not grow any more.</summary>
    public bool IsFinished(string id) => !_containers.TryGetValue(id, out var record) || record.Status is ContainerStatus.Exited or ContainerStatus.Restarting;

    /// <summary>Keeps an auto-removed container's log until the returned lease is disposed (an attach still streaming it).</summary>
    public IDisposable HoldLogs(string id)
    {
        lock (_logLeases)
        {
            _logLeases[id] = _logLeases.GetValueOrDefault(id) + 1;
        }

        return new LogLease(this, id);
    }

    private void ReleaseLogs(string id)
    {
        lock (_logLeases)
        {
            if (--_logLeases[id] == 0)
            {
                _logLeases.Remove(id);
            }
        }
    }

    private async Task WaitForLogReadersAsync(string id)
    {
        for (int i = 0; i < 250; i++)
        {
            lock (_logLeases)
            {
                if (!_logLeases.ContainsKey(id))
                {
                    return;
                }
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private sealed class LogLease(ContainerManager owner, string id) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.ReleaseLogs(id);
            }
        }
    }

    /// <summary>The container's log, as conmon wrote it.</summary>
    public IEnumerable<LogEntry> Logs(string idOrName) => ContainerLogReader.Read(LogPathOf(idOrName));

    /// <summary>
    /// The container's k8s-file log. It lives beside the bundle, not in it: a second start replaces the
    /// bundle, and conmon appends to the log, so <c>docker logs</c> shows every run (as Docker's does).
    /// </summary>
    public string LogPathOf(string idOrName) => LogOf(Find(idOrName).Id);

    private string LogOf(string id) => Path.Combine(_root, id, "container.log");

    /// <summary>
    /// Before a run: a log already past the size bound starts over, as conmon's own rotation does at
    /// <c>--log-size-max</c> (conmon counts only what its run wrote, so runs would otherwise add up).
    /// An empty file is renamed over the log, so that followers see a new file.
    /// </summary>
    private void BoundLog(string id)
    {
        string log = LogOf(id);
        if (_runtime.Options.LogSizeMax is long max && File.Exists(log) && new FileInfo(log).Length >= max)
        {
            File.WriteAllBytes(log + ".new", []);
            File.Move(log + ".new", log, overwrite: true);
        }
    }
}
