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
    public IEnumerable<LogEntry> Logs(string idOrName)
    {
        string log = new ContainerPaths(BundleOf(Find(idOrName).Id)).Log;
        return File.Exists(log) ? ContainerLogReader.Read(log) : [];
    }
}
