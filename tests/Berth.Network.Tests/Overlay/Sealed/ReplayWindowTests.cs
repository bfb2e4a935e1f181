using Berth.Network.Overlay.Sealed;
using CsCheck;

namespace Berth.Network.Tests.Overlay.Sealed;

/// <summary>The RFC 6479 window: seen counters refused, 960 behind the highest remembered, jumps clear stale bits.</summary>
public sealed class ReplayWindowTests
{
    [Fact]
    public void ACounterIsAcceptedOnceInOrderOrNot()
    {
        var window = new ReplayWindow();
        Assert.True(window.Check(0));
        window.Mark(0);
        Assert.False(window.Check(0));

        window.Mark(100);
        Assert.True(window.Check(50));
        window.Mark(50);
        Assert.False(window.Check(50));
        Assert.False(window.Check(100));
        Assert.True(window.Check(99));
        Assert.True(window.Check(101));
    }

    [Fact]
    public void TheWindowRemembersExactlyWindowSizeCountersBehindTheTop()
    {
        var window = new ReplayWindow();
        window.Mark(5000);

        Assert.Equal(960, ReplayWindow.WindowSize);
        Assert.True(window.Check(5000 - ReplayWindow.WindowSize + 1));
        Assert.False(window.Check(5000 - ReplayWindow.WindowSize));
        Assert.False(window.Check(0));

        // Marking one that is too old changes nothing.
        window.Mark(10);
        Assert.Equal(5000UL, window.Top);
    }

    [Fact]
    public void AJumpForwardForgetsWhatIsNowOutsideAndClearsStaleBits()
    {
        var window = new ReplayWindow();
        for (ulong c = 0; c < 2048; c++)
        {
            window.Mark(c);
        }

        // Exactly one ring ahead: every bit position was used once; none may still read as seen.
        window.Mark(2048 + ReplayWindow.Bits);
        for (var c = 2048UL + ReplayWindow.Bits - ReplayWindow.WindowSize + 1; c < 2048 + ReplayWindow.Bits; c++)
        {
            Assert.True(window.Check(c), $"counter {c}");
        }

        window.Mark(1_000_000_000);
        Assert.False(window.Check(2048 + ReplayWindow.Bits));
        Assert.True(window.Check(1_000_000_000 - 1));
        Assert.False(window.Check(1_000_000_000));
    }

    [Fact]
    public void WorksAtTheEndOfTheCounterSpace()
    {
        var window = new ReplayWindow();
        window.Mark(ulong.MaxValue - 1);
        Assert.True(window.Check(ulong.MaxValue));
        window.Mark(ulong.MaxValue);
        Assert.False(window.Check(ulong.MaxValue));
        Assert.False(window.Check(ulong.MaxValue - 1));
        Assert.True(window.Check(ulong.MaxValue - 2));
    }

    [Fact]
    public void AgreesWithASetOfSeenCounters()
    {
        // Counters wander forward with reordering and repeats, sometimes jumping far ahead.
        var steps = Gen.Frequency(
            (8, Gen.Int[-1100, 40]),
            (1, Gen.Int[900, 3000])).Array[1, 600];

        steps.Sample(deltas =>
        {
            var window = new ReplayWindow();
            var seen = new HashSet<ulong>();
            ulong top = 0;
            var position = 5000L;
            foreach (var delta in deltas)
            {
                position = Math.Max(0, position + delta);
                var counter = (ulong)position;
                var expected = seen.Count == 0 || counter > top || (top - counter < ReplayWindow.WindowSize && !seen.Contains(counter));
                Assert.Equal(expected, window.Check(counter));
                if (expected)
                {
                    window.Mark(counter);
                    seen.Add(counter);
                    top = Math.Max(top, counter);
                }
            }
        }, iter: 300);
    }
}
