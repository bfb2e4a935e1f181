using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Runtime.Logging;

namespace Berth.Runtime.Tests.Logging;

/// <summary>Log configs checked with Docker's messages, the daemon's default merged in as moby does, and the attrs.</summary>
public sealed class LogDriversTests
{
    [Theory]
    [InlineData("json-file", "x=1", "unknown log opt 'x' for json-file log driver")]
    [InlineData("local", "x=1", "unknown log opt 'x' for log driver local")]
    [InlineData("json-file", "max-size=abc", "invalid size: 'abc'")]
    [InlineData("json-file", "max-size=0", "max-size must be a positive number")]
    [InlineData("json-file", "max-file=0", "max-file cannot be less than 1")]
    [InlineData("json-file", "max-file=abc", "strconv.Atoi: parsing \"abc\": invalid syntax")]
    [InlineData("json-file", "compress=maybe", "strconv.ParseBool: parsing \"maybe\": invalid syntax")]
    [InlineData("json-file", "compress=true", "compress cannot be true when max-file is less than 2 or max-size is not set")]
    [InlineData("local", "max-size=abc", "invalid value for max-size: abc: invalid size: 'abc'")]
    [InlineData("local", "max-file=1", "compression cannot be enabled when max file count is 1")]
    [InlineData("json-file", "mode=fast", "logger: logging mode not supported: fast")]
    [InlineData("json-file", "max-buffer-size=1m", "logger: max-buffer-size option is only supported with 'mode=non-blocking'")]
    [InlineData("nosuch", "", "logger: no log driver named 'nosuch' is registered")]
    [InlineData("syslog", "", "log driver \"syslog\" is not supported by Berth: use json-file (the default), local or none (--log-driver, compose logging.driver)")]
    public void RefusesWithDockersMessages(string driver, string option, string message)
    {
        var e = Assert.Throws<BerthException>(() => LogDrivers.Check(Config(driver, option)));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ReadsSizesCountsAndDefaultsAsDocker()
    {
        Assert.Equal(new LogRotation(10_000_000, 3, true), LogDrivers.Check(Config("json-file", "max-size=10m", "max-file=3", "compress=true")).Rotation);
        Assert.Equal(LogRotation.Unbounded, LogDrivers.Check(Config("json-file")).Rotation);
        Assert.Equal(new LogRotation(20L * 1024 * 1024, 5, true), LogDrivers.Check(Config("local")).Rotation);
        Assert.Equal(new LogRotation(1000, 2, false), LogDrivers.Check(Config("local", "max-size=1k", "max-file=2", "compress=false")).Rotation);
        Assert.Equal(LogDriverKind.None, LogDrivers.Check(Config("none", "anything=goes")).Kind);
        Assert.Equal(1536, HumanSize.Parse("1.5KiB", HumanSize.Binary));
        Assert.Equal(1_500, HumanSize.Parse("1.5 kb", HumanSize.Decimal));
    }

    [Fact]
    public void TheDaemonsDefaultFillsInAsMobyMerges()
    {
        var daemon = Config("local", "max-size=5m");
        Assert.Equal(("local", "5m"), Pair(LogDrivers.Resolve(null, daemon)));
        Assert.Equal(("local", "5m"), Pair(LogDrivers.Resolve(Config(""), daemon)));
        Assert.Equal(("local", "1m"), Pair(LogDrivers.Resolve(Config("local", "max-size=1m"), daemon)));

        // Another driver than the daemon's takes none of its options.
        var other = LogDrivers.Resolve(Config("json-file"), daemon);
        Assert.Equal("json-file", other.Type);
        Assert.Empty(other.Options);
    }

    [Fact]
    public void AttrsHoldTheLabelsEnvAndTagAskedFor()
    {
        var config = Config("json-file", "labels=app,missing", "env-regex=^OS", "tag={{.Name}}/{{.ID}} {{.Other}}");
        var attrs = LogAttributes.Of(config, new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" }, ["OS_A=1", "PATH=/bin", "OSB=2"],
            new Dictionary<string, string> { ["Name"] = "box", ["ID"] = "0123456789ab" });
        Assert.Equal(["OSB=2", "OS_A=1", "app=web", "tag=box/0123456789ab {{.Other}}"], attrs.Select(a => a.Key + "=" + a.Value));
    }

    private static (string, string) Pair(LogConfig config) => (config.Type, config.Options["max-size"]);

    private static LogConfig Config(string driver, params string[] options) =>
        new(driver, options.Where(o => o.Length > 0).Select(o => o.Split('=', 2)).ToImmutableDictionary(p => p[0], p => p[1]));
}
