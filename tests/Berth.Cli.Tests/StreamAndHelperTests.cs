using Berth.Cli.Commands.Containers;
using Berth.Cli.Formatting;
using Berth.Cli.Streams;

namespace Berth.Cli.Tests;

/// <summary>Docker's frame demultiplexing and the Go/docker helpers behind ps, logs and run's flags.</summary>
public sealed class StreamAndHelperTests
{
    [Fact]
    public async Task FramesSplitAcrossReadsReachTheRightStream()
    {
        byte[] wire = [.. FakeDaemon.Frame(1, "out1\n"), .. FakeDaemon.Frame(2, "err1\n"), .. FakeDaemon.Frame(0, "in-echo\n"), .. FakeDaemon.Frame(1, "")];
        using var source = new TrickleStream(wire);
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();

        await FrameDemultiplexer.CopyAsync(source, stdout, stderr);

        Assert.Equal("out1\nin-echo\n", System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("err1\n", System.Text.Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Fact]
    public async Task ASystemErrorFrameOrAnUnknownStreamEndsWithDockersError()
    {
        using var error = new MemoryStream([.. FakeDaemon.Frame(1, "x"), .. FakeDaemon.Frame(3, "container gone")]);
        var thrown = await Assert.ThrowsAsync<StreamErrorException>(() => FrameDemultiplexer.CopyAsync(error, Stream.Null, Stream.Null));
        Assert.Equal("error from daemon in stream: container gone", thrown.Message);

        using var unknown = new MemoryStream([.. FakeDaemon.Frame(7, "x")]);
        Assert.Equal("Unrecognized input header: 7", (await Assert.ThrowsAsync<StreamErrorException>(() => FrameDemultiplexer.CopyAsync(unknown, Stream.Null, Stream.Null))).Message);
    }

    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(59, "59 seconds")]
    [InlineData(90, "About a minute")]
    [InlineData(3000, "50 minutes")]
    [InlineData(4000, "About an hour")]
    [InlineData(7 * 3600, "7 hours")]
    [InlineData(3 * 86400, "3 days")]
    [InlineData(20 * 86400, "2 weeks")]
    [InlineData(100 * 86400, "3 months")]
    [InlineData(800 * 86400, "2 years")]
    public void HumanDurationIsGoUnits(double seconds, string expected) => Assert.Equal(expected, GoUnits.HumanDuration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("sh -c 'echo hello; sleep 1000'", 20, "sh -c 'echo hello; …")]
    [InlineData("sleep 1", 20, "sleep 1")]
    [InlineData("日本語のコマンド", 7, "日本語…")]
    public void EllipsisCutsByDisplayWidth(string text, int width, string expected) => Assert.Equal(expected, GoText.Ellipsis(text, width));

    [Theory]
    [InlineData("a \"b\" \\c", "\"a \\\"b\\\" \\\\c\"")]
    [InlineData("tab\there\n", "\"tab\\there\\n\"")]
    [InlineData("\u0001…", "\"\\x01…\"")]
    public void QuoteIsGoStrconv(string text, string expected) => Assert.Equal(expected, GoText.Quote(text));

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(1500, "1.5kB")]
    [InlineData(21_500_000, "21.5MB")]
    public void SizesAreDecimal(double bytes, string expected) => Assert.Equal(expected, GoUnits.HumanSize(bytes));

    [Theory]
    [InlineData("10m", "1735688400")]
    [InlineData("1h30m", "1735683600")]
    [InlineData("2024-12-31T23:00:00.123456789Z", "1735686000.123456789")]
    [InlineData("2024-12-31T23:00:00+01:00", "1735682400.000000000")]
    [InlineData("1735689600", "1735689600")]
    public void LogTimesAreDockersGetTimestamp(string value, string expected) =>
        Assert.Equal(expected, DockerTimestamp.Get(value, DateTimeOffset.FromUnixTimeSeconds(1735689000)));

    [Fact]
    public void ADateWithoutAZoneIsLocalTime()
    {
        var midnight = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var expected = new DateTimeOffset(midnight, TimeZoneInfo.Local.GetUtcOffset(midnight)).ToUnixTimeSeconds() + ".000000000";
        Assert.Equal(expected, DockerTimestamp.Get("2025-01-01", DateTimeOffset.UtcNow));
    }

    [Fact]
    public void PortSpecsFollowNat()
    {
        var ports = PortSpecs.Parse(["127.0.0.1:8080-8081:80-81/udp", "[::1]:9000:90", "7000-7010:70", "443"], ["5000-5001"]);

        Assert.Equal(["443/tcp", "5000/tcp", "5001/tcp", "70/tcp", "80/udp", "81/udp", "90/tcp"], ports.Exposed);
        Assert.Equal([new("127.0.0.1", "8081")], ports.Bindings["81/udp"]);
        Assert.Equal([new("::1", "9000")], ports.Bindings["90/tcp"]);
        Assert.Equal([new("", "7000-7010")], ports.Bindings["70/tcp"]);
        Assert.Equal([new("", "")], ports.Bindings["443/tcp"]);
        Assert.Throws<ArgumentException>(() => PortSpecs.Parse(["nothost:80:80"], []));
    }

    [Theory]
    [InlineData("bb", "docker.io/library/bb", "latest", "bb:latest")]
    [InlineData("me/app:v1", "docker.io/me/app", "v1", "me/app:v1")]
    [InlineData("localhost:5000/x", "localhost:5000/x", "latest", "localhost:5000/x:latest")]
    [InlineData("registry.example/team/app@sha256:abc", "registry.example/team/app", "sha256:abc", "registry.example/team/app@sha256:abc")]
    public void ImageReferencesNormaliseLikeDocker(string image, string repository, string tag, string familiar)
    {
        var reference = ImageReference.Parse(image);
        Assert.Equal((repository, tag, familiar), (reference.Repository, reference.TagOrDigest, reference.Familiar));
    }

    /// <summary>Hands out at most three bytes per read, so frames arrive in pieces.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(3, buffer.Length)], cancellationToken);
    }
}
