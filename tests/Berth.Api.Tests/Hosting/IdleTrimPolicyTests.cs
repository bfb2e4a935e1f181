using Berth.Api.Hosting;
using Xunit;

namespace Berth.Api.Tests.Hosting;

public sealed class IdleTrimPolicyTests
{
    private const long Mb = 1024 * 1024;
    private static readonly IdleTrimPolicy Policy = new(WorthTrimming: 4 * Mb, QuietBelow: 2 * Mb);

    [Fact]
    public void An_idle_daemon_trims_once_its_slow_allocations_add_up()
    {
        var marks = AllocationMarks.At(100 * Mb);
        var trims = new List<int>();
        for (int check = 1; check <= 20; check++)
        {
            (marks, bool trim) = Policy.Check(marks, 100 * Mb + check * Mb / 2);
            if (trim)
            {
                trims.Add(check);
                marks = AllocationMarks.At(100 * Mb + check * Mb / 2);
            }
        }

        // 0.5 MB a check: every 8th check reaches 4 MB since the last trim.
        Assert.Equal([8, 16], trims);
    }

    [Fact]
    public void Busy_work_is_never_interrupted_and_the_first_quiet_check_after_it_trims()
    {
        var marks = AllocationMarks.At(0);
        long allocated = 0;
        for (int check = 0; check < 10; check++)
        {
            allocated += 30 * Mb;
            (marks, bool busyTrim) = Policy.Check(marks, allocated);
            Assert.False(busyTrim);
        }

        (marks, bool trim) = Policy.Check(marks, allocated + Mb);
        Assert.True(trim);
        Assert.Equal(allocated + Mb, marks.AtCheck);
        Assert.Equal(0, marks.AtTrim);
    }

    [Fact]
    public void Nothing_is_trimmed_before_enough_was_allocated()
    {
        var (_, trim) = Policy.Check(AllocationMarks.At(0), 4 * Mb - 1);
        Assert.False(trim);
    }
}
