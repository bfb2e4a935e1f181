namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// Putting frames together. The sealer fills every chunk but the last (see <see cref="FrameSealer"/>), so chunk i
/// of a frame lies at i × the length of any non-last chunk; a frame is the counters
/// (counter − index) .. (counter − index + count − 1) of its session.
/// </summary>
public sealed partial class FrameOpener
{
    private readonly List<PartialFrame> _partials = new(MaxPartialFrames);
    private readonly Stack<PartialFrame> _free;
    private ulong _started;

    // Whether a chunk can begin a frame that fits in maxFrame: chunks but the last are at least as long as the last.
    private bool FitsNewFrame(SealedChunkHeader header, int length)
    {
        if (header.Count == 1)
        {
            return true;
        }

        var before = header.Count - 1L;
        return header.Index == header.Count - 1
            ? header.Count * (long)length <= _maxFrame
            : (before * length) + 1 <= _maxFrame;
    }

    // Where an authentic chunk of this frame would go, if its sizes agree with the chunks already there.
    private bool TryPlace(PartialFrame partial, SealedChunkHeader header, int length, out int offset)
    {
        offset = 0;
        var before = header.Count - 1L;
        if (header.Count != partial.Count)
        {
            return false;
        }

        if (header.Index == header.Count - 1)
        {
            // A frame is only started by its last chunk or with its chunk length known; a second last chunk
            // has a counter already seen.
            if (partial.ChunkLength == 0 || length > partial.ChunkLength || (before * partial.ChunkLength) + length > _maxFrame)
            {
                return false;
            }

            offset = (int)before * partial.ChunkLength;
            return true;
        }

        if (partial.ChunkLength != 0)
        {
            offset = header.Index * partial.ChunkLength;
            return length == partial.ChunkLength;
        }

        // Only the last chunk is here, at the end of the buffer; the non-last chunks end before its place.
        offset = header.Index * length;
        return length >= partial.LastLength && (before * length) + partial.LastLength <= _maxFrame;
    }

    // An authentic chunk that started no frame yet, decrypted into the scratch buffer.
    private OpenResult FromScratch(OpenerSession session, SealedChunkHeader header, int length, out ReadOnlySpan<byte> frame)
    {
        var plain = _scratch.AsSpan(0, length);
        if (header.Count == 1)
        {
            frame = plain;
            return OpenResult.Delivered;
        }

        frame = default;
        var partial = Start(session, header.Counter - header.Index, header.Count);
        if (header.Index == header.Count - 1)
        {
            partial.LastLength = length;
            plain.CopyTo(partial.Buffer.AsSpan(_maxFrame - length));
        }
        else
        {
            partial.ChunkLength = length;
            plain.CopyTo(partial.Buffer.AsSpan(header.Index * length));
        }

        partial.Received = 1UL << header.Index;
        return OpenResult.Pending;
    }

    // An authentic chunk decrypted in its place in a frame already started.
    private OpenResult Placed(PartialFrame partial, SealedChunkHeader header, int length, out ReadOnlySpan<byte> frame)
    {
        frame = default;
        if (header.Index == header.Count - 1)
        {
            partial.LastLength = length;
        }
        else if (partial.ChunkLength == 0)
        {
            partial.ChunkLength = length;
            var last = partial.LastLength;
            partial.Buffer.AsSpan(_maxFrame - last, last).CopyTo(partial.Buffer.AsSpan((partial.Count - 1) * length));
        }

        partial.Received |= 1UL << header.Index;
        if (!partial.Complete)
        {
            return OpenResult.Pending;
        }

        // The buffer goes back to the pool but keeps the frame until the next Open.
        frame = partial.Buffer.AsSpan(0, partial.Length);
        Release(partial);
        return OpenResult.Delivered;
    }

    private PartialFrame Start(OpenerSession session, ulong frameId, int count)
    {
        var slot = Array.IndexOf(session.Partials, null);
        if (slot < 0)
        {
            slot = OldestSlot(session);
            Release(session.Partials[slot]!);
        }

        var partial = Take();
        partial.Start(session, slot, frameId, count, ++_started);
        session.Partials[slot] = partial;
        return partial;
    }

    private static int OldestSlot(OpenerSession session)
    {
        var oldest = 0;
        for (var i = 1; i < session.Partials.Length; i++)
        {
            if (session.Partials[i]!.Started < session.Partials[oldest]!.Started)
            {
                oldest = i;
            }
        }

        return oldest;
    }

    // A free buffer: from the pool, a new one while the pool is below its bound, else the oldest frame's.
    private PartialFrame Take()
    {
        if (_free.TryPop(out var free))
        {
            return free;
        }

        if (_partials.Count < MaxPartialFrames)
        {
            var made = new PartialFrame(_maxFrame);
            _partials.Add(made);
            return made;
        }

        var oldest = _partials[0];
        foreach (var partial in _partials)
        {
            if (partial.Started < oldest.Started)
            {
                oldest = partial;
            }
        }

        Release(oldest);
        return _free.Pop();
    }

    private void Release(PartialFrame partial)
    {
        partial.Owner!.Partials[partial.Slot] = null;
        partial.Owner = null;
        _free.Push(partial);
    }
}
