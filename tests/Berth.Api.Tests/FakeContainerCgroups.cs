using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Linux.Cgroups;
using Berth.Linux.Links;
using Berth.Runtime.Engine;

namespace Berth.Api.Tests;

/// <summary>
/// <see cref="IContainerCgroups"/> over <see cref="FakeContainerEngine"/>'s records: pause flips the record's flag,
/// update keeps what it was asked, top and stats answer canned rows and samples (no cgroup, no ps).
/// </summary>
internal sealed class FakeContainerCgroups(FakeContainerEngine engine) : IContainerCgroups
{
    public List<ContainerUpdate> Updates { get; } = [];

    /// <summary>What a running container's stats sampler answers (its id and name filled in).</summary>
    public CgroupSample Sample { get; set; } = new()
    {
        CpuTotalNanos = 2_000_000_000,
        CpuUserNanos = 1_500_000_000,
        CpuSystemNanos = 500_000_000,
        MemoryUsage = 10 << 20,
        MemoryLimit = 64 << 20,
        MemoryStat = [new("inactive_file", 1 << 20), new("anon", 8 << 20)],
        PidsCurrent = 3,
        IoServiceBytes = [new BlkioEntry(8, 0, "read", 4096), new BlkioEntry(8, 0, "write", 8192)],
    };

    public Task PauseAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var record = Running(engine.Get(idOrName));
        engine.Add(record.Paused ? throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is already paused") : record with { Paused = true });
        return Task.CompletedTask;
    }

    public Task UnpauseAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var record = engine.Get(idOrName);
        engine.Add(record.Paused ? record with { Paused = false } : throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not paused"));
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<string>> UpdateAsync(string idOrName, ContainerUpdate update, CancellationToken cancellationToken = default)
    {
        _ = engine.Get(idOrName);
        Updates.Add(update);
        return Task.FromResult(ImmutableArray<string>.Empty);
    }

    public Task<(ImmutableArray<string> Titles, ImmutableArray<ImmutableArray<string>> Processes)> TopAsync(string idOrName, string psArgs, CancellationToken cancellationToken = default)
    {
        var record = Running(engine.Get(idOrName));
        ContainerTop.ValidateArgs(psArgs);
        return Task.FromResult<(ImmutableArray<string>, ImmutableArray<ImmutableArray<string>>)>(
            (["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"], [["root", record.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "1", "0", "10:00", "?", "00:00:00", "sleep 600"]]));
    }

    public IContainerStatsSampler OpenStats(string idOrName) => new Sampler(engine.Get(idOrName), Sample);

    public bool OomKilled(ContainerRecord record) => record.OomKilled;

    private static ContainerRecord Running(ContainerRecord record) =>
        record.Status == ContainerStatus.Running ? record : throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running");

    private sealed class Sampler(ContainerRecord record, CgroupSample sample) : IContainerStatsSampler
    {
        private int _samples;

        public ContainerStatsSample Sample()
        {
            if (record.Status != ContainerStatus.Running)
            {
                return ContainerStatsSample.Stopped(record);
            }

            // Each sample one second of CPU later, on a two-CPU host: a container busy 50 % of one CPU.
            int n = ++_samples;
            var cgroup = sample with { CpuTotalNanos = sample.CpuTotalNanos + ((ulong)n * 500_000_000) };
            return new ContainerStatsSample(record.Id.Value, record.Name, DateTimeOffset.UnixEpoch.AddSeconds(n), cgroup,
                (ulong)n * 2_000_000_000, 2, sample.MemoryLimit, [new LinkStatistics("eth0", false, 10, 5, 1000, 500, 0, 0, 0, 0)]);
        }

        public void Dispose()
        {
        }
    }
}
