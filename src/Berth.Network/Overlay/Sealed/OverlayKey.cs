using System.Collections.Immutable;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// One key of the cluster's overlay key ring: 32 random bytes, never used directly (<see cref="SealedKeys"/>
/// derives one key per node pair and sender session from it). Its text form never shows the key.
/// </summary>
/// <param name="Generation">1 for the first key of a ring, one more for each rotation; the wire carries its low 8 bits.</param>
/// <param name="Key">The 32-byte AES-256 ring key.</param>
/// <param name="Created">When a manager added the key (the sender's grace period counts from it).</param>
public sealed record OverlayKey(uint Generation, ImmutableArray<byte> Key, DateTimeOffset Created)
{
    /// <summary>Bytes of a ring key: an AES-256 key.</summary>
    public const int KeySize = 32;

    public uint Generation { get; init; } = Generation >= 1
        ? Generation
        : throw new BerthException(ErrorKind.InvalidArgument, "overlay key generation 0 is not valid: generations start at 1");

    public ImmutableArray<byte> Key { get; init; } = !Key.IsDefault && Key.Length == KeySize
        ? Key
        : throw new BerthException(ErrorKind.InvalidArgument, $"overlay key generation {Generation} has {(Key.IsDefault ? 0 : Key.Length)} bytes; a key has {KeySize}");

    /// <summary>Equal when generation, creation time and key bytes are (not the arrays that hold them).</summary>
    public bool Equals(OverlayKey? other) =>
        other is not null && Generation == other.Generation && Created == other.Created && Key.AsSpan().SequenceEqual(other.Key.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Generation, Created);

    // The key bytes stay out of logs and exception messages.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Generation = ").Append(Generation).Append(", Created = ").Append(Created.ToString("O"));
        return true;
    }
}
