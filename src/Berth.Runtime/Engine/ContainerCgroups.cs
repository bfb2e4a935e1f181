using System.Collections.Immutable;
using System.Diagnostics;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Linux.Cgroups;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>
/// <c>docker pause/unpause/update/top/stats</c> with Docker's errors (moby daemon/pause.go, unpause.go, update.go,
/// top_unix.go, stats.go). Pause and update take the container's lock and write the record through the store (the
/// record is the truth: a berthd restart reports a paused container as paused); top and stats only read.
/// </summary>
public sealed class ContainerCgroups(
    ContainerRecords records,
    ContainerSlots slots,
    IContainerRuntime runtime,
    ContainerCgroupCache cgroups,
    ContainerEvents events,
    CgroupSupport? support = null) : IContainerCgroups
{
    /// <summary>How long <c>ps</c> may take for <c>docker top</c>.</summary>
    private static readonly TimeSpan PsTimeout = TimeSpan.FromSeconds(10);

    private readonly CgroupSupport _support = support ?? CgroupSupport.Host;

    public async Task PauseAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var id = records.Find(idOrName).Id;
        using (await slots.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            var record = RunningOrThrow(records.Get(id));
            if (record.Paused)
            {
                throw new BerthException(ErrorKind.Conflict, $"Container {id} is already paused");
            }

            try
            {
                await runtime.PauseAsync(id.Value, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind != ErrorKind.NotFound)
            {
                throw new BerthException(ErrorKind.Internal, $"cannot pause container {id}: {e.Message}");
            }

            await records.SaveAsync(id, r => r with { Paused = true }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task UnpauseAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var id = records.Find(idOrName).Id;
        using (await slots.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            var record = records.Get(id);
            if (!record.Paused)
            {
                // moby answers 500 here (a plain error); a conflict with the container's state is what it is.
                throw new BerthException(ErrorKind.Conflict, $"Container {id} is not paused");
            }

            RunningOrThrow(record);
            try
            {
                await runtime.ResumeAsync(id.Value, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind != ErrorKind.NotFound)
            {
                throw new BerthException(ErrorKind.Internal, $"Cannot unpause container {id}: {e.Message}");
            }

            await records.SaveAsync(id, r => r with { Paused = false }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<ImmutableArray<string>> UpdateAsync(string idOrName, ContainerUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var id = records.Find(idOrName).Id;
        using (await slots.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            var record = records.Get(id);
            var (request, merged, warnings) = ResourceUpdate.Merge(id.Value, record.Spec.Resources, update.Resources, Environment.ProcessorCount, _support);
            var policy = ResourceUpdate.MergeRestartPolicy(id.Value, record.Spec.RestartPolicy, update.RestartPolicy, record.Spec.AutoRemove);

            // Live first, then the record: a limit the kernel refuses (memory below what is in use on cgroup v1) leaves
            // both as they were. A stopped container gets its limits at its next start (from the record).
            if (record.Status == ContainerStatus.Running && runtime.Exists(id.Value))
            {
                try
                {
                    await runtime.UpdateResourcesAsync(id.Value, request, cancellationToken).ConfigureAwait(false);
                }
                catch (BerthException e) when (e.Kind != ErrorKind.NotFound)
                {
                    throw ResourceUpdate.CannotUpdate(id.Value, ErrorKind.Internal, e.Message);
                }
            }

            var updated = await records.SaveAsync(id, r => r with { Spec = r.Spec with { Resources = merged, RestartPolicy = policy } }, cancellationToken).ConfigureAwait(false);
            events.Container(updated, "update");
            return warnings;
        }
    }

    public async Task<(ImmutableArray<string> Titles, ImmutableArray<ImmutableArray<string>> Processes)> TopAsync(string idOrName, string psArgs, CancellationToken cancellationToken = default)
    {
        string args = string.IsNullOrEmpty(psArgs) ? ContainerTop.DefaultArgs : psArgs;
        ContainerTop.ValidateArgs(args);
        var record = RunningOrThrow(records.Find(idOrName));
        var pids = cgroups.Of(record)?.ProcessIds() ?? new HashSet<int>();
        string output = await RunPsAsync(args.Split(' '), cancellationToken).ConfigureAwait(false);
        var result = ContainerTop.Parse(output, pids);
        events.Container(record, "top");
        return result;
    }

    public IContainerStatsSampler OpenStats(string idOrName) => new ContainerStatsSampler(records.Find(idOrName).Id, records, cgroups);

    public bool OomKilled(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.OomKilled || (record.Status == ContainerStatus.Running && cgroups.OomKilled(record.Id));
    }

    /// <summary>moby's GetRunningTask and restart checks: 409 unless it runs.</summary>
    private static ContainerRecord RunningOrThrow(ContainerRecord record) => record.Status switch
    {
        ContainerStatus.Running => record,
        ContainerStatus.Restarting => throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is restarting, wait until the container is running"),
        _ => throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running"),
    };

    private static async Task<string> RunPsAsync(string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ps") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args.Where(a => a.Length > 0))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new BerthException(ErrorKind.Unavailable, "ps: cannot start ps on the host; install procps");
        using StreamReader stdout = process.StandardOutput, stderr = process.StandardError;
        Task<string> output = stdout.ReadToEndAsync(cancellationToken);
        Task<string> error = stderr.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(PsTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            string first = (await error.ConfigureAwait(false)).Split('\n')[0];
            throw new BerthException(ErrorKind.Internal, "ps: " + (first.Length > 0 ? first : $"exit status {process.ExitCode}"));
        }

        return await output.ConfigureAwait(false);
    }
}
