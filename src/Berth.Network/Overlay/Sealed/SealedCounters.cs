using System.Collections.Immutable;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// What the sealed data path of one network did: frames sent and delivered, and each kind of drop
/// (shown by <c>docker network inspect --verbose</c> under Status). Written with <see cref="Interlocked"/> by
/// the sending and receiving threads, read by anyone.
/// </summary>
public sealed class SealedCounters
{
    /// <summary>Frames sealed and sent.</summary>
    public long Sent;

    /// <summary>Frames opened and written to the network's TAP.</summary>
    public long Delivered;

    /// <summary>Datagrams that failed authentication.</summary>
    public long DroppedUnauthentic;

    /// <summary>Datagrams whose counter was seen before or is older than the replay window.</summary>
    public long DroppedReplayed;

    /// <summary>Datagrams from a VTEP with no endpoint on the network.</summary>
    public long DroppedNonMember;

    /// <summary>Datagrams sealed with a key generation the ring does not hold.</summary>
    public long DroppedUnknownKey;

    /// <summary>Frames to a destination MAC no peer has.</summary>
    public long DroppedNoPeer;

    /// <summary>Datagrams that are not sealed chunks or cannot belong to a frame.</summary>
    public long DroppedMalformed;

    /// <summary>Datagrams the kernel handed to a receiving thread other than their session's (never once the socket group is steered).</summary>
    public long DroppedMisrouted;

    /// <summary>Frames the kernel refused: an opened frame its TAP would not take, a sealed one the socket could not send.</summary>
    public long DroppedKernel;

    /// <summary>Counts one outcome of <see cref="FrameOpener.Open"/> (<see cref="OpenResult.Pending"/> counts nothing).</summary>
    public void Count(OpenResult result)
    {
        switch (result)
        {
            case OpenResult.Delivered:
                Interlocked.Increment(ref Delivered);
                break;
            case OpenResult.Malformed:
                Interlocked.Increment(ref DroppedMalformed);
                break;
            case OpenResult.UnknownKey:
                Interlocked.Increment(ref DroppedUnknownKey);
                break;
            case OpenResult.Unauthentic:
                Interlocked.Increment(ref DroppedUnauthentic);
                break;
            case OpenResult.Replayed:
                Interlocked.Increment(ref DroppedReplayed);
                break;
            case OpenResult.Pending:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(result), result, "not an OpenResult");
        }
    }

    /// <summary>Every counter by its snake_case name, as Status shows them.</summary>
    public ImmutableSortedDictionary<string, long> Snapshot() => ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
    [
        new("frames_sent", Interlocked.Read(ref Sent)),
        new("frames_delivered", Interlocked.Read(ref Delivered)),
        new("dropped_unauthentic", Interlocked.Read(ref DroppedUnauthentic)),
        new("dropped_replayed", Interlocked.Read(ref DroppedReplayed)),
        new("dropped_non_member", Interlocked.Read(ref DroppedNonMember)),
        new("dropped_unknown_key", Interlocked.Read(ref DroppedUnknownKey)),
        new("dropped_no_peer", Interlocked.Read(ref DroppedNoPeer)),
        new("dropped_malformed", Interlocked.Read(ref DroppedMalformed)),
        new("dropped_misrouted", Interlocked.Read(ref DroppedMisrouted)),
        new KeyValuePair<string, long>("dropped_kernel", Interlocked.Read(ref DroppedKernel)),
    ]);
}
