using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// The cluster's overlay keys (etcd <c>cluster/overlay-keys</c>), oldest generation first. A manager adds one
/// every rotation interval and the oldest of four is dropped; senders seal with the newest key every node has
/// had time to see (<see cref="SendKey"/>), receivers accept every key of the ring, so rotation drops nothing.
/// </summary>
public sealed record OverlayKeyRing(ImmutableArray<OverlayKey> Keys)
{
    /// <summary>Keys a ring keeps: the one senders use, the one before it (frames in flight) and the next one.</summary>
    public const int MaxKeys = 3;

    public ImmutableArray<OverlayKey> Keys { get; init; } = Checked(Keys);

    /// <summary>A ring holding one fresh random key, generation 1.</summary>
    public static OverlayKeyRing New(DateTimeOffset now) => new([NewKey(1, now)]);

    /// <summary>This ring plus a fresh random key one generation above the newest, less the oldest beyond <see cref="MaxKeys"/>.</summary>
    public OverlayKeyRing Rotate(DateTimeOffset now)
    {
        var next = Keys.IsEmpty ? 1 : Keys[^1].Generation + 1;
        var keys = Keys.Add(NewKey(next, now));
        return new OverlayKeyRing(keys.RemoveRange(0, Math.Max(0, keys.Length - MaxKeys)));
    }

    /// <summary>
    /// The key to seal with: the newest one created at least <paramref name="grace"/> ago (every node has had that
    /// long to learn it), else the oldest (a new ring, or rotations faster than the grace period).
    /// </summary>
    public OverlayKey SendKey(DateTimeOffset now, TimeSpan grace)
    {
        if (Keys.IsEmpty)
        {
            throw new BerthException(ErrorKind.Unavailable, "the overlay key ring holds no key; a manager creates one when the first encrypted network is made");
        }

        for (var i = Keys.Length - 1; i >= 0; i--)
        {
            if (now - Keys[i].Created >= grace)
            {
                return Keys[i];
            }
        }

        return Keys[0];
    }

    /// <summary>The newest key whose generation ends in <paramref name="generationLow"/> (the wire's 8 bits), or null. Allocates nothing.</summary>
    public OverlayKey? Find(byte generationLow)
    {
        for (var i = Keys.Length - 1; i >= 0; i--)
        {
            if ((byte)Keys[i].Generation == generationLow)
            {
                return Keys[i];
            }
        }

        return null;
    }

    /// <summary>True when the newest key is at least <paramref name="interval"/> old (or there is none): time to rotate.</summary>
    public bool Due(DateTimeOffset now, TimeSpan interval) => Keys.IsEmpty || now - Keys[^1].Created >= interval;

    /// <summary>The stored form: keys as base64, times as ISO 8601.</summary>
    public string ToJson() => JsonSerializer.Serialize(
        new OverlayKeyRingDocument([.. Keys.Select(k => new OverlayKeyDocument(k.Generation, [.. k.Key], k.Created))]),
        OverlayKeyRingJsonContext.Default.OverlayKeyRingDocument);

    /// <summary>Reads <see cref="ToJson"/>'s form; every problem found is reported together, as InvalidArgument.</summary>
    public static OverlayKeyRing FromJson(string json)
    {
        OverlayKeyRingDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, OverlayKeyRingJsonContext.Default.OverlayKeyRingDocument);
        }
        catch (JsonException e)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"the overlay key ring is not valid JSON ({e.Message}); it is rewritten only by a manager's rotation", e);
        }

        if (document?.Keys is null)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "the overlay key ring has no \"Keys\" array");
        }

        var problems = new List<string>();
        for (var i = 0; i < document.Keys.Count; i++)
        {
            var key = document.Keys[i];
            if (key is null)
            {
                problems.Add($"key {i} is null");
                continue;
            }

            if (key.Generation == 0)
            {
                problems.Add($"key {i} has generation 0; generations start at 1");
            }

            if (key.Key?.Length != OverlayKey.KeySize)
            {
                problems.Add($"key {i} (generation {key.Generation}) has {key.Key?.Length ?? 0} bytes; a key has {OverlayKey.KeySize}");
            }

            if (key.Created == default)
            {
                problems.Add($"key {i} (generation {key.Generation}) has no creation time");
            }
        }

        problems.AddRange(document.Keys.OfType<OverlayKeyDocument>().GroupBy(k => k.Generation).Where(g => g.Count() > 1)
            .Select(g => $"generation {g.Key} appears {g.Count()} times; each generation names one key"));
        if (problems.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"the overlay key ring is not valid: {string.Join("; ", problems)}");
        }

        return new OverlayKeyRing([.. document.Keys.Select(k => new OverlayKey(k!.Generation, ImmutableArray.Create(k.Key!), k.Created))]);
    }

    /// <summary>Equal when they hold equal keys.</summary>
    public bool Equals(OverlayKeyRing? other) => other is not null && Keys.SequenceEqual(other.Keys);

    public override int GetHashCode() => Keys.Length == 0 ? 0 : HashCode.Combine(Keys.Length, Keys[^1]);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Keys = [").AppendJoin(", ", Keys.Select(k => k.ToString())).Append(']');
        return true;
    }

    private static OverlayKey NewKey(uint generation, DateTimeOffset now) =>
        new(generation, ImmutableArray.Create(RandomNumberGenerator.GetBytes(OverlayKey.KeySize)), now);

    // Sorted by generation so "newest" is always the last; two keys with one generation would make the wire's
    // generation byte name two keys.
    private static ImmutableArray<OverlayKey> Checked(ImmutableArray<OverlayKey> keys)
    {
        if (keys.IsDefault)
        {
            return [];
        }

        if (keys.Any(k => k is null))
        {
            throw new BerthException(ErrorKind.InvalidArgument, "the overlay key ring holds a null key");
        }

        var duplicates = keys.GroupBy(k => k.Generation).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"the overlay key ring holds generation {string.Join(", ", duplicates)} more than once; each generation names one key");
        }

        return [.. keys.OrderBy(k => k.Generation)];
    }
}
