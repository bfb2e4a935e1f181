namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// The counters seen of one sender session (RFC 6479): a ring of 1024 bits in 64-bit blocks, behind the highest
/// counter seen. Moving forward clears whole blocks, so the block holding the highest counter is shared with
/// counters not yet sent and <see cref="WindowSize"/> = 1024 − 64 counters behind it are always remembered.
/// Not thread-safe: one receiving thread owns it. <see cref="Check"/> before authentication,
/// <see cref="Mark"/> only after it, so a forged datagram can never move the window.
/// </summary>
public sealed class ReplayWindow
{
    /// <summary>Bits of the ring (RFC 6479 §2).</summary>
    public const int Bits = 1024;

    /// <summary>How far behind the highest counter seen a counter is still accepted (if not seen).</summary>
    public const int WindowSize = Bits - BlockBits;

    private const int BlockBits = 64;
    private const int BlockShift = 6;
    private const int Blocks = Bits / BlockBits;
    private const int BlockMask = Blocks - 1;
    private const int BitMask = BlockBits - 1;

    private readonly ulong[] _blocks = new ulong[Blocks];
    private ulong _top;
    private bool _any;

    /// <summary>The highest counter marked (0 when none is).</summary>
    public ulong Top => _top;

    /// <summary>True when <paramref name="counter"/> has not been marked and is not older than the window.</summary>
    public bool Check(ulong counter)
    {
        if (!_any || counter > _top)
        {
            return true;
        }

        if (_top - counter >= WindowSize)
        {
            return false;
        }

        return (_blocks[BlockOf(counter)] & BitOf(counter)) == 0;
    }

    /// <summary>Records <paramref name="counter"/> as seen, moving the window forward if it is the highest yet.</summary>
    public void Mark(ulong counter)
    {
        if (!_any)
        {
            _any = true;
            _top = counter;
        }
        else if (counter > _top)
        {
            // Clear the blocks the window moves over (all of them after a jump of a whole ring or more).
            var advance = Math.Min((counter >> BlockShift) - (_top >> BlockShift), Blocks);
            var block = _top >> BlockShift;
            for (ulong i = 0; i < advance; i++)
            {
                block++;
                _blocks[(int)(block & BlockMask)] = 0;
            }

            _top = counter;
        }
        else if (_top - counter >= WindowSize)
        {
            return;
        }

        _blocks[BlockOf(counter)] |= BitOf(counter);
    }

    private static int BlockOf(ulong counter) => (int)((counter >> BlockShift) & BlockMask);

    private static ulong BitOf(ulong counter) => 1UL << (int)(counter & BitMask);
}
