namespace Berth.Api.Hosting;

/// <summary>
/// When berthd gives memory back: once it has allocated enough since the last trim to be worth a full collection,
/// and only in a quiet moment, so a trim never lands in the middle of work that would take the memory back at once.
/// Both figures are managed allocations (<see cref="GC.GetTotalAllocatedBytes"/>), which follow the daemon's work.
/// </summary>
/// <param name="WorthTrimming">Allocated since the last trim before another is worth its pause.</param>
/// <param name="QuietBelow">Allocated during one check's interval below which berthd counts as idle.</param>
public sealed record IdleTrimPolicy(long WorthTrimming, long QuietBelow)
{
    private const long Megabyte = 1024 * 1024;

    /// <summary>
    /// Measured on a lab swarm manager: its steady work (lease keep-alives, the leader's campaign, heartbeats,
    /// watches) allocates ~0.5 MB per 5 s check, so it trims about every 20 s and holds ~2 MB of garbage at most;
    /// a trim of its ~6 MB heap takes ~10 ms, 0.05 % of a core. A swarm init or join, a service update, a pull or a
    /// run allocates several MB a second and is never interrupted.
    /// </summary>
    public static IdleTrimPolicy Default { get; } = new(WorthTrimming: 2 * Megabyte, QuietBelow: 2 * Megabyte);

    /// <summary>
    /// One check: the marks moved to <paramref name="allocated"/> (the process's allocations so far), and whether
    /// to trim now. After a trim the caller starts again from <see cref="AllocationMarks.At"/> what was allocated then.
    /// </summary>
    public (AllocationMarks Marks, bool Trim) Check(AllocationMarks marks, long allocated)
    {
        bool trim = allocated - marks.AtTrim >= WorthTrimming && allocated - marks.AtCheck < QuietBelow;
        return (marks with { AtCheck = allocated }, trim);
    }
}

/// <summary>The process's managed allocations at the last trim and at the last check.</summary>
public readonly record struct AllocationMarks(long AtTrim, long AtCheck)
{
    public static AllocationMarks At(long allocated) => new(allocated, allocated);
}
