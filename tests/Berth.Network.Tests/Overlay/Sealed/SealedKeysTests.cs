using System.Net;
using System.Security.Cryptography;
using System.Text;
using Berth.Network.Overlay.Sealed;
using static Berth.Network.Tests.Overlay.Sealed.SealedLab;

namespace Berth.Network.Tests.Overlay.Sealed;

/// <summary>The per-pair, per-session key: HKDF-SHA256 with the documented salt and info, one per direction.</summary>
public sealed class SealedKeysTests
{
    private static readonly byte[] RingKey = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    [Fact]
    public void IsHkdfSha256WithTheSessionAsSaltAndBothVtepsLengthPrefixedInTheInfo()
    {
        var info = Encoding.ASCII.GetBytes("berth sealed overlay v1").Concat(new byte[] { 4 }).Concat(VtepA).Concat(new byte[] { 16 }).Concat(VtepC).ToArray();
        var expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, RingKey, 32, salt: [0, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF], info: info);

        Assert.Equal(expected, Derive(0xDEADBEEF, VtepA, VtepC));
    }

    [Fact]
    public void EachDirectionSessionPairAndRingKeyGetsItsOwnKey()
    {
        var mapped = IPAddress.Parse("192.168.1.2").MapToIPv6().GetAddressBytes();
        var keys = new[]
        {
            Derive(1, VtepA, VtepB),
            Derive(2, VtepA, VtepB),
            Derive(1, VtepB, VtepA),
            Derive(1, VtepA, VtepC),
            Derive(1, mapped, VtepB),
            Derive(1, VtepA, VtepB, ringKey: [.. RingKey.Reverse()]),
        };

        Assert.Equal(keys.Length, keys.Select(Convert.ToHexString).Distinct().Count());
        Assert.Equal(keys[0], Derive(1, VtepA, VtepB));
    }

    [Fact]
    public void RefusesWrongLengths()
    {
        var key = new byte[32];
        Assert.Throws<ArgumentException>(() => SealedKeys.Derive(new byte[16], 1, VtepA, VtepB, key));
        Assert.Throws<ArgumentException>(() => SealedKeys.Derive(RingKey, 1, new byte[5], VtepB, key));
        Assert.Throws<ArgumentException>(() => SealedKeys.Derive(RingKey, 1, VtepA, [], key));
        Assert.Throws<ArgumentException>(() => SealedKeys.Derive(RingKey, 1, VtepA, VtepB, new byte[16]));
    }

    private static byte[] Derive(ulong session, byte[] sender, byte[] receiver, byte[]? ringKey = null)
    {
        var key = new byte[SealedKeys.KeySize];
        SealedKeys.Derive(ringKey ?? RingKey, session, sender, receiver, key);
        return key;
    }
}
