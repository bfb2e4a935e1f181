using System.Text;

namespace Berth.Cli.Terminal;

/// <summary>A read-only stream of a <see cref="TextReader"/>'s text as UTF-8.</summary>
public sealed class TextReaderStream(TextReader reader) : Stream
{
    private readonly char[] chars = new char[1024];
    private byte[] pending = [];
    private int pendingOffset;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (pendingOffset == pending.Length)
        {
            var read = reader.Read(chars, 0, chars.Length);
            if (read == 0)
            {
                return 0;
            }

            pending = Encoding.UTF8.GetBytes(chars, 0, read);
            pendingOffset = 0;
        }

        var count = Math.Min(buffer.Length, pending.Length - pendingOffset);
        pending.AsSpan(pendingOffset, count).CopyTo(buffer);
        pendingOffset += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
