using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Engine;

public sealed class HealthcheckTests
{
    private const long Millisecond = 1_000_000;

    [Fact]
    public void DockersDefaultsFillWhatIsNotSet()
    {
        var check = Healthcheck.Resolve(new HealthConfig { Test = ["CMD-SHELL", "test -f /tmp/ok"] }, image: null)!;
        Assert.Equal(["/bin/sh", "-c", "test -f /tmp/ok"], check.Command.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(30), check.Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), check.Timeout);
        Assert.Equal(TimeSpan.Zero, check.StartPeriod);
        Assert.Equal(3, check.Retries);
    }

    [Fact]
    public void TheRequestIsMergedOverTheImage()
    {
        var image = new HealthConfig { Test = ["CMD", "/healthy", "--deep"], Interval = 5_000 * Millisecond, Timeout = 2_000 * Millisecond, Retries = 4 };
        var check = Healthcheck.Resolve(new HealthConfig { Interval = 200 * Millisecond, StartPeriod = 1_000 * Millisecond }, image)!;
        Assert.Equal(["/healthy", "--deep"], check.Command.ToArray());
        Assert.Equal(TimeSpan.FromMilliseconds(200), check.Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), check.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(1), check.StartPeriod);
        Assert.Equal(4, check.Retries);
        Assert.Equal(["/healthy", "--deep"], Healthcheck.Resolve(null, image)!.Command.ToArray());
    }

    [Fact]
    public void NoneOrNothingMeansNoMonitor()
    {
        var image = new HealthConfig { Test = ["CMD", "/healthy"] };
        Assert.Null(Healthcheck.Resolve(new HealthConfig { Test = ["NONE"] }, image));
        Assert.Null(Healthcheck.Resolve(null, null));
        Assert.Null(Healthcheck.Resolve(new HealthConfig { Test = [] }, null));
    }

    [Fact]
    public void ARequestOutOfRangeIsRefusedWithEveryProblem()
    {
        Healthcheck.Validate(new HealthConfig { Test = ["CMD", "true"], Interval = Millisecond });
        var e = Assert.Throws<BerthException>(() => Healthcheck.Validate(new HealthConfig { Test = ["SHELL", "true"], Interval = 10, Retries = -1 }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("Interval in Healthcheck cannot be less than 1ms; Retries in Healthcheck cannot be negative; unknown Healthcheck type \"SHELL\": use [\"CMD\", args...], [\"CMD-SHELL\", command] or [\"NONE\"]", e.Message);
    }
}
