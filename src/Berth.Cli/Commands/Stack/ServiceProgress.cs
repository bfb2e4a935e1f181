using System.Diagnostics;
using System.Globalization;
using Berth.Api.Contracts;

namespace Berth.Cli.Commands.Stack;

/// <summary>
/// What docker's CLI shows while it waits for a service to converge (<c>stack deploy --detach=false</c>, docker/cli's
/// <c>ServiceProgress</c>), with its rules: every 200 ms the service, its up-to-date tasks and the nodes are read;
/// <c>overall progress: N out of M tasks</c> until all run, a bar per slot (replicated, up to 20) or per node (global)
/// showing each task's state or error, then <c>verify: Waiting N seconds to verify that tasks are stable...</c> for the
/// update config's monitor period (5 s by default) and <c>verify: Service ID converged</c>. A task failing during the
/// wait starts it over ("Detected task failure"); a paused update or rollback ends it with docker's error.
/// </summary>
internal sealed class ServiceProgress(StackApi api, ProgressLines lines)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan DefaultMonitor = TimeSpan.FromSeconds(5);

    /// <summary>swarmkit's task states in order; those after running are terminal (never drawn as progress).</summary>
    private static readonly Dictionary<string, int> States = new(StringComparer.Ordinal)
    {
        ["new"] = 1, ["allocated"] = 2, ["pending"] = 3, ["assigned"] = 4, ["accepted"] = 5, ["preparing"] = 6, ["ready"] = 7,
        ["starting"] = 8, ["running"] = 9, ["complete"] = 10, ["shutdown"] = 11, ["failed"] = 12, ["rejected"] = 13,
    };

    private const int Running = 9;
    private const int MaxProgress = 9;
    private const int MaxProgressBars = 20;
    private const int ErrorWidth = 75;

    /// <summary>The longest state drawn ("allocated", "preparing"): the states are padded to it.</summary>
    private static readonly int LongestState = States.Where(s => s.Value <= 10).Max(s => s.Key.Length);

    private readonly Dictionary<int, int> _slots = [];
    private bool _initialized;
    private bool _done;

    public async Task WaitAsync(string serviceId, CancellationToken cancellationToken)
    {
        bool converged = false;
        bool rollback = false;
        Stopwatch? convergedFor = null;
        string? rollbackMessage = null;
        while (true)
        {
            var service = await api.ServiceAsync(serviceId, cancellationToken).ConfigureAwait(false)
                ?? throw new StatusException(ExitCodes.Failure, $"service {serviceId} not found");
            var monitor = service.Spec.UpdateConfig is { Monitor: > 0 } config ? TimeSpan.FromTicks(config.Monitor / 100) : DefaultMonitor;
            bool global = service.Spec.Mode?.Global is not null;
            if (!global && service.Spec.Mode?.Replicated is null && service.Spec.Mode is not null)
            {
                throw new StatusException(ExitCodes.Failure, "unrecognized service mode");
            }

            switch (service.UpdateStatus?.State)
            {
                case "updating":
                    rollback = false;
                    break;
                case "completed" when !converged:
                    return;
                case "paused":
                    throw new StatusException(ExitCodes.Failure, "service update paused: " + service.UpdateStatus.Message);
                case "rollback_started":
                    if (!rollback && !string.IsNullOrEmpty(service.UpdateStatus.Message))
                    {
                        await lines.WriteAsync("rollback", service.UpdateStatus.Message).ConfigureAwait(false);
                    }

                    rollback = true;
                    break;
                case "rollback_paused":
                    throw new StatusException(ExitCodes.Failure, "service rollback paused: " + service.UpdateStatus.Message);
                case "rollback_completed":
                    rollbackMessage = converged ? rollbackMessage : service.UpdateStatus.Message;
                    rollback = true;
                    break;
            }

            if (converged && convergedFor!.Elapsed >= monitor)
            {
                await lines.WriteAsync("verify", $"Service {serviceId} converged").ConfigureAwait(false);
                if (rollbackMessage is not null)
                {
                    await lines.MessageAsync("rollback: " + rollbackMessage).ConfigureAwait(false);
                }

                return;
            }

            var tasks = await api.TasksAsync([$"service={service.ID}", "_up-to-date=true"], cancellationToken).ConfigureAwait(false);
            var active = (await api.NodesAsync(cancellationToken).ConfigureAwait(false))
                .Where(n => n.Status.State != "down").Select(n => n.ID).ToHashSet(StringComparer.Ordinal);
            converged = global
                ? await UpdateGlobalAsync(tasks, active, rollback).ConfigureAwait(false)
                : await UpdateReplicatedAsync(checked((int)(service.Spec.Mode?.Replicated?.Replicas ?? 1)), tasks, active, rollback).ConfigureAwait(false);
            if (converged)
            {
                convergedFor ??= Stopwatch.StartNew();
                var wait = monitor - convergedFor.Elapsed;
                if (wait >= TimeSpan.Zero)
                {
                    long seconds = (long)wait.TotalSeconds + 1;
                    await lines.WriteAsync("verify", $"Waiting {seconds.ToString(CultureInfo.InvariantCulture)} seconds to verify that tasks are stable...").ConfigureAwait(false);
                }
            }
            else
            {
                if (convergedFor is not null)
                {
                    await lines.WriteAsync("verify", "Detected task failure").ConfigureAwait(false);
                }

                convergedFor = null;
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> UpdateReplicatedAsync(int replicas, List<SwarmTask> tasks, HashSet<string> active, bool rollback)
    {
        if (!_initialized)
        {
            await OverallAsync(0, replicas, rollback).ConfigureAwait(false);
            if (replicas <= MaxProgressBars)
            {
                for (int i = 1; i <= replicas; i++)
                {
                    await lines.WriteAsync($"{i}/{replicas}", " ").ConfigureAwait(false);
                }
            }

            _initialized = true;
        }

        var bySlot = Pick(tasks.Where(t => t.NodeID is not { Length: > 0 } node || active.Contains(node)), t => t.Slot);
        if (_done && bySlot.Values.Any(t => t.Status.State != "running"))
        {
            _done = false;
        }

        int running = 0;
        foreach (var (slot, task) in bySlot)
        {
            if (!_slots.TryGetValue(slot, out int mapped))
            {
                mapped = _slots.Count + 1;
                _slots[slot] = mapped;
            }

            running += !Terminal(task.DesiredState) && task.Status.State == "running" ? 1 : 0;
            if (!_done && replicas <= MaxProgressBars && mapped <= replicas)
            {
                await TaskAsync($"{mapped}/{replicas}", task).ConfigureAwait(false);
            }
        }

        return await FinishAsync(running, replicas, rollback).ConfigureAwait(false);
    }

    private async Task<bool> UpdateGlobalAsync(List<SwarmTask> tasks, HashSet<string> active, bool rollback)
    {
        var byNode = Pick(tasks, t => t.NodeID ?? "");
        if (!_initialized)
        {
            if (byNode.Count == 0)
            {
                await lines.WriteAsync("overall progress", "waiting for new tasks").ConfigureAwait(false);
                return false;
            }

            await OverallAsync(0, byNode.Count, rollback).ConfigureAwait(false);
            _initialized = true;
        }

        if (_done && byNode.Values.Any(t => t.Status.State != "running"))
        {
            _done = false;
        }

        int running = 0;
        foreach (var (node, task) in byNode.Where(t => active.Contains(t.Key)))
        {
            running += !Terminal(task.DesiredState) && task.Status.State == "running" ? 1 : 0;
            if (!_done && byNode.Count <= MaxProgressBars)
            {
                await TaskAsync(node.Length > 12 ? node[..12] : node, task).ConfigureAwait(false);
            }
        }

        return await FinishAsync(running, byNode.Count, rollback).ConfigureAwait(false);
    }

    private async Task<bool> FinishAsync(int running, int wanted, bool rollback)
    {
        if (!_done)
        {
            await OverallAsync(running, wanted, rollback).ConfigureAwait(false);
            _done = running == wanted;
        }

        return running == wanted;
    }

    private Task OverallAsync(int running, int wanted, bool rollback) =>
        lines.WriteAsync("overall progress", (rollback ? "rolling back update: " : "") + $"{running} out of {wanted} tasks");

    /// <summary>A task's line: its error (newlines out, at most 75 characters), or its state as a bar while neither it nor its desired state is terminal.</summary>
    private Task TaskAsync(string id, SwarmTask task)
    {
        if (task.Status.Err is { Length: > 0 } error)
        {
            error = error.Replace('\n', ' ');
            return lines.WriteAsync(id, error.Length > ErrorWidth ? error[..(ErrorWidth - 1)] + "…" : error);
        }

        string state = task.Status.State ?? "";
        return Terminal(task.DesiredState) || Terminal(state)
            ? Task.CompletedTask
            : lines.WriteAsync(id, state.PadRight(LongestState), States.GetValueOrDefault(state), MaxProgress);
    }

    private static bool Terminal(string? state) => States.GetValueOrDefault(state ?? "") > Running;

    /// <summary>One task per key: the lowest desired state wins, then the lowest observed state (docker's tie-breaks); unknown states are skipped.</summary>
    private static Dictionary<TKey, SwarmTask> Pick<TKey>(IEnumerable<SwarmTask> tasks, Func<SwarmTask, TKey> key)
        where TKey : notnull
    {
        var picked = new Dictionary<TKey, SwarmTask>();
        foreach (var task in tasks)
        {
            int desired = States.GetValueOrDefault(task.DesiredState ?? "");
            int observed = States.GetValueOrDefault(task.Status.State ?? "");
            if (desired == 0 || observed == 0)
            {
                continue;
            }

            if (picked.TryGetValue(key(task), out var existing))
            {
                int existingDesired = States[existing.DesiredState!];
                if (existingDesired < desired || (existingDesired == desired && States[existing.Status.State!] <= observed))
                {
                    continue;
                }
            }

            picked[key(task)] = task;
        }

        return picked;
    }
}
