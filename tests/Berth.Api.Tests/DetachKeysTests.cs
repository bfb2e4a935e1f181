using System.Text;
using Berth.Api.Endpoints;
using Berth.Core.Errors;

namespace Berth.Api.Tests;

public sealed class DetachKeysTests
{
    [Theory]
    [InlineData("", new byte[] { 16, 17 })]
    [InlineData("ctrl-p,ctrl-q", new byte[] { 16, 17 })]
    [InlineData("ctrl-x,x", new byte[] { 24, (byte)'x' })]
    [InlineData("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_", new byte[] { 0, 27, 28, 29, 30, 31 })]
    [InlineData("a,CTRL-A", new byte[] { (byte)'a', 1 })]
    public void KeysAreMobys(string keys, byte[] expected) => Assert.Equal(expected, DetachKeys.Parse(keys));

    [Theory]
    [InlineData("ctrl-1")]
    [InlineData("ab")]
    [InlineData("ctrl-p,,ctrl-q")]
    public void BadKeysAreRefused(string keys) =>
        Assert.StartsWith($"Invalid detach keys ({keys}) provided", Assert.Throws<BerthException>(() => DetachKeys.Parse(keys)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("ls\r\u0010\u0011echo never", "ls\r", true)]
    [InlineData("a\u0010b\u0010\u0011", "a\u0010b", true)]
    [InlineData("\u0010\u0010\u0011", "\u0010", true)]
    [InlineData("typed\u0010", "typed\u0010", false)]
    [InlineData("plain text", "plain text", false)]
    public async Task TheSequenceIsTakenOutAndEndsTheInput(string typed, string passed, bool detached)
    {
        // One byte per read of the client, the worst case for a sequence split across reads.
        using var stream = new DetachKeysStream(new TrickleStream(Encoding.Latin1.GetBytes(typed)), DetachKeys.Parse(null));
        var received = new MemoryStream();
        var buffer = new byte[3];
        int count;
        while ((count = await stream.ReadAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, count);
        }

        Assert.Equal((passed, detached), (Encoding.Latin1.GetString(received.ToArray()), stream.Detached));
    }

    /// <summary>Hands out its bytes one at a time.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
