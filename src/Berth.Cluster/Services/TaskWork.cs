using Berth.Cluster.Identity;
using Berth.Core.Errors;

namespace Berth.Cluster.Services;

public sealed partial class TaskAgent
{
    /// <summary>
    /// One task's work: at most one look runs; a kick during it asks for one more look after it (so the last change
    /// is always looked at, and bursts of kicks cost one look).
    /// </summary>
    private sealed class TaskWork(TaskId id, TaskAgent agent)
    {
        private readonly Lock _lock = new();
        private bool _running;
        private bool _again;
        private Task _current = Task.CompletedTask;

        public void Kick()
        {
            lock (_lock)
            {
                if (_running)
                {
                    _again = true;
                    return;
                }

                _running = true;
                _current = Task.Run(LoopAsync);
            }
        }

        public Task DrainAsync()
        {
            lock (_lock)
            {
                return _current;
            }
        }

        private async Task LoopAsync()
        {
            var stopping = agent._stopping.Token;
            while (true)
            {
                try
                {
                    await agent.ReconcileAsync(id, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                }
                catch (Exception e) when (e is BerthException or InvalidOperationException or IOException)
                {
                    // The store or the engine failed for now; the next kick (an event, the resync) looks again.
                    ServicesAgentLog.TaskFailed(agent._logger, id.Value, "look", e.Message);
                }

                lock (_lock)
                {
                    if (!_again || stopping.IsCancellationRequested)
                    {
                        _running = false;
                        return;
                    }

                    _again = false;
                }
            }
        }
    }
}
