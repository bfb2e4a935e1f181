namespace Berth.Runtime.Files;

/// <summary>
/// A file's bytes cut or padded to the size its tar header announced: a running container may grow or truncate the
/// file while it is read, and an archive whose data disagrees with its headers is corrupt from that entry on (GNU tar
/// pads a shrunk file with zeros the same way). Seekable only in that it knows its length and position, which is what
/// <see cref="System.Formats.Tar.TarWriter"/> asks.
/// </summary>
internal sealed class FixedLengthReadStream(Stream inner, long length) : Stream
{
    private long _position;
    private bool _innerEnded;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set
        {
            if (value != _position)
            {
                throw new NotSupportedException("a file being archived is read once, front to back");
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0)
        {
            return 0;
        }

        int read = _innerEnded ? 0 : inner.Read(buffer[..wanted]);
        return Advance(buffer, wanted, read);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0)
        {
            return 0;
        }

        int read = _innerEnded ? 0 : await inner.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
        return Advance(buffer.Span, wanted, read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) =>
        (origin, offset) is (SeekOrigin.Current, 0) ? _position : throw new NotSupportedException("a file being archived is read once, front to back");

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>A file that ended early is padded with zeros up to the announced length.</summary>
    private int Advance(Span<byte> buffer, int wanted, int read)
    {
        if (read == 0)
        {
            _innerEnded = true;
            buffer[..wanted].Clear();
            read = wanted;
        }

        _position += read;
        return read;
    }
}
