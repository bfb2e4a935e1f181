using System.Diagnostics;
using Berth.Linux.Interop;
using Microsoft.Extensions.Logging;

namespace Berth.Api.Hosting;

/// <summary>
/// Gives berthd's memory back to the kernel when it goes quiet after work. The workstation GC keeps the regions a
/// burst of work filled committed, and its gen0 budget follows the CPU's cache (tens of MB), so an idle daemon
/// collects rarely: after a swarm init a manager held 22 MB of committed GC memory around 6 MB of live objects, one
/// gen0 collection in all. A compacting collection in <see cref="GCCollectionMode.Aggressive"/> mode decommits what is
/// free, and malloc_trim(3) does the same for the native heap (OpenSSL, SQLite). <see cref="IdleTrimPolicy"/> says when.
/// </summary>
public sealed partial class IdleMemoryTrimmer : IAsyncDisposable
{
    /// <summary>How often the allocations are looked at (a counter read; nothing else happens unless a trim is due).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private const long Megabyte = 1024 * 1024;

    private readonly IdleTrimPolicy policy;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;

    public IdleMemoryTrimmer(IdleTrimPolicy policy, ILogger logger, TimeProvider? time = null)
    {
        this.policy = policy;
        this.logger = logger;
        loop = RunAsync(time ?? TimeProvider.System, stopping.Token);
    }

    /// <summary>A full compacting collection that decommits every free region, then the native heap trimmed.</summary>
    public static void TrimNow()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Libc.MallocTrim(0);
    }

    private async Task RunAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        var marks = AllocationMarks.At(GC.GetTotalAllocatedBytes());
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                long allocated = GC.GetTotalAllocatedBytes();
                (marks, bool trim) = policy.Check(marks, allocated);
                if (!trim)
                    continue;
                long before = Environment.WorkingSet;
                var clock = Stopwatch.StartNew();
                TrimNow();
                LogTrimmed(logger, (allocated - marks.AtTrim) / Megabyte, before / Megabyte, Environment.WorkingSet / Megabyte, clock.Elapsed.TotalMilliseconds);
                marks = AllocationMarks.At(GC.GetTotalAllocatedBytes());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stopping.Dispose();
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "Memory trimmed after {AllocatedMb} MB of allocations: resident {BeforeMb} MB -> {AfterMb} MB in {Ms:F1} ms")]
    private static partial void LogTrimmed(ILogger logger, long allocatedMb, long beforeMb, long afterMb, double ms);
}
