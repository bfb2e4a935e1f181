using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Network.Overlay.Sealed;
using static Berth.Network.Tests.Overlay.Sealed.SealedLab;

namespace Berth.Network.Tests.Overlay.Sealed;

/// <summary>The key ring: rotation, which key a sender uses, lookup by the wire's 8 bits, its stored form.</summary>
public sealed class OverlayKeyRingTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    [Fact]
    public void NewRingHoldsOneRandomKeyOfGenerationOne()
    {
        var ring = OverlayKeyRing.New(T0);
        var other = OverlayKeyRing.New(T0);

        var key = Assert.Single(ring.Keys);
        Assert.Equal(1u, key.Generation);
        Assert.Equal(T0, key.Created);
        Assert.Equal(32, key.Key.Length);
        Assert.False(key.Key.AsSpan().SequenceEqual(other.Keys[0].Key.AsSpan()));
    }

    [Fact]
    public void RotateAddsTheNextGenerationAndKeepsTheNewestThree()
    {
        var ring = OverlayKeyRing.New(T0);
        for (var i = 1; i <= 4; i++)
        {
            ring = ring.Rotate(T0.AddHours(12 * i));
        }

        Assert.Equal([3u, 4u, 5u], ring.Keys.Select(k => k.Generation));
        Assert.Equal(T0.AddHours(48), ring.Keys[^1].Created);
        Assert.Equal(3, ring.Keys.Select(k => Convert.ToHexString(k.Key.AsSpan())).Distinct().Count());
        Assert.Equal([1u], new OverlayKeyRing([]).Rotate(T0).Keys.Select(k => k.Generation));
    }

    [Fact]
    public void SendKeyIsTheNewestOlderThanTheGraceElseTheOldest()
    {
        var ring = OverlayKeyRing.New(T0);
        Assert.Equal(1u, ring.SendKey(T0, Grace).Generation); // nothing is old enough: the oldest

        ring = ring.Rotate(T0.AddHours(12));
        Assert.Equal(1u, ring.SendKey(T0.AddHours(12), Grace).Generation);
        Assert.Equal(1u, ring.SendKey(T0.AddHours(12) + Grace - TimeSpan.FromSeconds(1), Grace).Generation);
        Assert.Equal(2u, ring.SendKey(T0.AddHours(12) + Grace, Grace).Generation);

        // Two rotations within one grace period: the newest is not used yet, the one before it is.
        ring = ring.Rotate(T0.AddHours(12) + Grace + TimeSpan.FromMinutes(1));
        Assert.Equal(2u, ring.SendKey(T0.AddHours(12) + Grace + TimeSpan.FromMinutes(2), Grace).Generation);

        var empty = Assert.Throws<BerthException>(() => new OverlayKeyRing([]).SendKey(T0, Grace));
        Assert.Equal(ErrorKind.Unavailable, empty.Kind);
    }

    [Fact]
    public void FindMatchesTheLowEightBitsNewestFirst()
    {
        var ring = new OverlayKeyRing([Key(257), Key(1), Key(256)]);

        Assert.Equal([1u, 256u, 257u], ring.Keys.Select(k => k.Generation)); // kept oldest first
        Assert.Equal(257u, ring.Find(1)!.Generation);
        Assert.Equal(256u, ring.Find(0)!.Generation);
        Assert.Null(ring.Find(2));
    }

    [Fact]
    public void DueWhenTheNewestKeyIsAsOldAsTheInterval()
    {
        var ring = OverlayKeyRing.New(T0);
        var interval = TimeSpan.FromHours(12);

        Assert.False(ring.Due(T0.AddHours(11), interval));
        Assert.True(ring.Due(T0.AddHours(12), interval));
        Assert.False(ring.Rotate(T0.AddHours(12)).Due(T0.AddHours(13), interval));
        Assert.True(new OverlayKeyRing([]).Due(T0, interval));
    }

    [Fact]
    public void JsonRoundTripKeepsEveryKeyAndTheTextNeverShowsOne()
    {
        var ring = OverlayKeyRing.New(T0).Rotate(T0.AddHours(12));

        var json = ring.ToJson();
        var back = OverlayKeyRing.FromJson(json);

        Assert.Equal(ring, back);
        Assert.Contains(Convert.ToBase64String(ring.Keys[0].Key.AsSpan()), json, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(ring.Keys[0].Key.AsSpan()), ring.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Generation = 2", ring.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{}", "no \"Keys\" array")]
    [InlineData("{\"Keys\":[null]}", "key 0 is null")]
    [InlineData("{\"Keys\":[{\"Generation\":1,\"Key\":\"AAAA\",\"Created\":\"2025-06-01T12:00:00+00:00\"}]}", "key 0 (generation 1) has 3 bytes; a key has 32")]
    [InlineData("{\"Keys\":[{\"Generation\":1,\"Created\":\"2025-06-01T12:00:00+00:00\"}]}", "key 0 (generation 1) has 0 bytes")]
    [InlineData("{\"Keys\":[{\"Generation\":0,\"Key\":\"" + Key32 + "\",\"Created\":\"2025-06-01T12:00:00+00:00\"}]}", "key 0 has generation 0")]
    [InlineData("{\"Keys\":[{\"Generation\":1,\"Key\":\"" + Key32 + "\"}]}", "key 0 (generation 1) has no creation time")]
    [InlineData("{\"Keys\":[{\"Generation\":4,\"Key\":\"" + Key32 + "\",\"Created\":\"2025-06-01T12:00:00+00:00\"},{\"Generation\":4,\"Key\":\"" + Key32 + "\",\"Created\":\"2025-06-01T12:00:00+00:00\"}]}", "generation 4 appears 2 times")]
    public void FromJsonNamesEachProblem(string json, string problem)
    {
        var error = Assert.Throws<BerthException>(() => OverlayKeyRing.FromJson(json));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJsonReportsEveryProblemTogether()
    {
        var json = "{\"Keys\":[{\"Generation\":0,\"Key\":\"AAAA\"},null]}";

        var error = Assert.Throws<BerthException>(() => OverlayKeyRing.FromJson(json));

        Assert.Contains("key 0 has generation 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("key 0 (generation 0) has 3 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("key 0 (generation 0) has no creation time", error.Message, StringComparison.Ordinal);
        Assert.Contains("key 1 is null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysAndRingsCheckThemselves()
    {
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => new OverlayKey(1, [1, 2, 3], T0)).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => new OverlayKey(1, default, T0)).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => Key(0)).Kind);
        var duplicate = Assert.Throws<BerthException>(() => new OverlayKeyRing([Key(2), Key(2)]));
        Assert.Contains("generation 2 more than once", duplicate.Message, StringComparison.Ordinal);
    }

    private const string Key32 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private static OverlayKey Key(uint generation) => new(generation, [.. Enumerable.Repeat((byte)generation, 32)], T0);
}
