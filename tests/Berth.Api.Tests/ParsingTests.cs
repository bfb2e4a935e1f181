using Berth.Api.Hosting;
using Berth.Api.Http;
using Berth.Api.Versioning;
using Berth.Core.Errors;

namespace Berth.Api.Tests;

public sealed class ParsingTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("False", false)]
    [InlineData("NONE", false)]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("yes", true)]
    public void Query_booleans_parse_as_moby_does(string? value, bool expected) => Assert.Equal(expected, QueryBool.Parse(value));

    [Theory]
    [InlineData("24h", 24 * 3600.0)]
    [InlineData("1h30m", 5400.0)]
    [InlineData("90s", 90.0)]
    [InlineData("1.5h", 5400.0)]
    [InlineData("500ms", 0.5)]
    [InlineData("0", 0.0)]
    public void Go_durations_parse(string text, double seconds)
    {
        Assert.True(GoTimestamp.TryParseDuration(text, out TimeSpan duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("10")]
    [InlineData("10d")]
    public void Bad_durations_do_not_parse(string text) => Assert.False(GoTimestamp.TryParseDuration(text, out _));

    [Fact]
    public void Until_accepts_durations_unix_times_and_dates()
    {
        var now = new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddHours(-24), GoTimestamp.Parse("24h", now));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddMilliseconds(500), GoTimestamp.Parse("1700000000.5", now));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero), GoTimestamp.Parse("2024-05-01T10:00:00Z", now));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(2)), GoTimestamp.Parse("2024-05-01T10:00:00+02:00", now));
        Assert.Throws<BerthException>(() => GoTimestamp.Parse("soon", now));
    }

    [Fact]
    public void Rfc3339_nano_trims_trailing_zeros()
    {
        Assert.Equal("2024-01-02T03:04:05Z", Rfc3339.FormatNano(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        Assert.Equal("2024-01-02T03:04:05.12Z", Rfc3339.FormatNano(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 120, TimeSpan.Zero)));
        Assert.Equal("2024-01-02T03:04:05.1234567+02:00", Rfc3339.FormatNano(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234567)));
    }

    [Fact]
    public void Api_versions_compare_numerically()
    {
        Assert.True(ApiVersion.TryParse("1.9", out var v19));
        Assert.True(ApiVersion.TryParse("1.10", out var v110));
        Assert.True(v19 < v110);
        Assert.Equal("1.45", ApiVersion.Maximum.ToString());
        Assert.False(ApiVersion.TryParse("1", out _));
        Assert.False(ApiVersion.TryParse("1.", out _));
        Assert.False(ApiVersion.TryParse("a.b", out _));
        Assert.False(ApiVersion.TryParse("1.4.5", out _));
    }

    [Theory]
    [InlineData("/v1.45/networks", "1.45", "/networks")]
    [InlineData("/v1.41/_ping", "1.41", "/_ping")]
    public void Version_prefix_is_split(string path, string version, string rest)
    {
        Assert.True(ApiVersionMiddleware.TrySplitVersion(path, out string? v, out var r));
        Assert.Equal(version, v);
        Assert.Equal(rest, r.Value);
    }

    [Theory]
    [InlineData("/networks")]
    [InlineData("/v1.45")]
    [InlineData("/version")]
    [InlineData("/vx/networks")]
    public void Paths_without_a_prefix_are_left_alone(string path) => Assert.False(ApiVersionMiddleware.TrySplitVersion(path, out _, out _));

    [Fact]
    public void Listen_addresses_parse()
    {
        Assert.Equal("/run/berth/berth.sock", ListenAddress.Parse("unix:///run/berth/berth.sock").SocketPath);
        Assert.Equal(2375, ListenAddress.Parse("tcp://127.0.0.1:2375").EndPoint!.Port);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => ListenAddress.Parse("fd://")).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => ListenAddress.Parse("unix://relative.sock")).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => ListenAddress.Parse("tcp://nohost")).Kind);
    }
}
