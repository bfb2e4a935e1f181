using Berth.Api.Http;

namespace Berth.Api.Tests;

/// <summary>Docker's multiplexed stream and log timestamps, byte for byte as the CLI reads them (observed: <c>\x01\0\0\0\0\0\0\x05out1\n</c>).</summary>
public sealed class DockerStreamFramingTests
{
    [Fact]
    public async Task FramesCarryStreamAndBigEndianLength()
    {
        using var output = new MemoryStream();
        await DockerStreamFraming.WriteAsync(output, DockerStreamFraming.Stdout, "out1\n"u8.ToArray(), tty: false);
        await DockerStreamFraming.WriteAsync(output, DockerStreamFraming.Stderr, new byte[300], tty: false);
        byte[] bytes = output.ToArray();
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 5, .. "out1\n"u8], bytes[..13]);
        Assert.Equal([2, 0, 0, 0, 0, 0, 1, 44], bytes[13..21]);
        Assert.Equal(13 + 8 + 300, bytes.Length);
    }

    [Fact]
    public async Task TtyOutputIsUnframedAndEmptyPayloadsAreNotSent()
    {
        using var output = new MemoryStream();
        await DockerStreamFraming.WriteAsync(output, DockerStreamFraming.Stdout, "a\r\n"u8.ToArray(), tty: true);
        await DockerStreamFraming.WriteAsync(output, DockerStreamFraming.Stdout, Array.Empty<byte>(), tty: false);
        Assert.Equal("a\r\n"u8.ToArray(), output.ToArray());
    }

    [Fact]
    public void TimestampsAreRfc3339WithNineFractionalDigitsInUtc()
    {
        Assert.Equal("2026-11-27T23:00:04.123456789Z ", DockerStreamFraming.TimestampPrefix((1_795_820_404L * 1_000_000_000) + 123_456_789));
        Assert.Equal("1970-01-01T00:00:00.000000001Z ", DockerStreamFraming.TimestampPrefix(1));
    }
}
