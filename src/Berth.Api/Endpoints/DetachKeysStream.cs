namespace Berth.Api.Endpoints;

/// <summary>
/// A terminal client's input with the detach sequence taken out (moby's escape proxy): bytes that could begin the
/// sequence are held until the next byte decides; the whole sequence is never passed on, and ends the input as if the
/// client had half-closed, with <see cref="Detached"/> set. Read-only, for one reader.
/// </summary>
internal sealed class DetachKeysStream(Stream inner, byte[] keys) : Stream
{
    private readonly byte[] _chunk = new byte[4096];
    private readonly Queue<byte> _ready = new();
    private int _matched;
    private bool _ended;

    /// <summary>The client typed the detach sequence.</summary>
    public bool Detached { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_ready.Count == 0 && !_ended)
        {
            int count = await inner.ReadAsync(_chunk, cancellationToken).ConfigureAwait(false);
            if (count == 0)
            {
                // The client ended in the middle of a possible sequence: what it typed was input after all.
                Release();
                _ended = true;
                break;
            }

            Filter(_chunk.AsSpan(0, count));
        }

        int written = 0;
        while (written < buffer.Length && _ready.TryDequeue(out byte b))
        {
            buffer.Span[written++] = b;
        }

        return written;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Filter(ReadOnlySpan<byte> input)
    {
        foreach (byte b in input)
        {
            if (b != keys[_matched])
            {
                Release();
            }

            if (b == keys[_matched])
            {
                if (++_matched == keys.Length)
                {
                    Detached = true;
                    _ended = true;
                    _matched = 0;
                    return;
                }
            }
            else
            {
                _ready.Enqueue(b);
            }
        }
    }

    /// <summary>The held bytes were not the sequence: they go on as input.</summary>
    private void Release()
    {
        for (int i = 0; i < _matched; i++)
        {
            _ready.Enqueue(keys[i]);
        }

        _matched = 0;
    }
}
