using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// The AES-256 key of one direction of one node pair and one sender session:
/// HKDF-SHA256 (RFC 5869) with ikm = the ring key, salt = the session id (8 bytes, big-endian) and
/// info = "berth sealed overlay v1" ‖ len ‖ sender VTEP ‖ len ‖ receiver VTEP (raw address bytes, 4 or 16).
/// A key therefore seals one direction only, and a datagram replayed towards another node, or claimed by
/// another sender, fails authentication. Both ends must give a VTEP in the same form: an IPv4 VTEP as its
/// 4 bytes, never as the IPv4-mapped IPv6 address a dual-stack socket reports.
/// </summary>
public static class SealedKeys
{
    /// <summary>Bytes of a derived key: AES-256.</summary>
    public const int KeySize = 32;

    private const int IPv4Size = 4;
    private const int IPv6Size = 16;
    private const int SaltSize = sizeof(ulong);

    // Names the format version: a later format derives different keys from the same ring.
    private static ReadOnlySpan<byte> Label => "berth sealed overlay v1"u8;

    /// <summary>Writes the 32-byte key for (<paramref name="session"/>, sender → receiver) into <paramref name="key"/>.</summary>
    public static void Derive(ReadOnlySpan<byte> ringKey, ulong session, ReadOnlySpan<byte> senderVtep, ReadOnlySpan<byte> receiverVtep, Span<byte> key)
    {
        if (ringKey.Length != OverlayKey.KeySize)
        {
            throw new ArgumentException($"a ring key has {OverlayKey.KeySize} bytes, not {ringKey.Length}", nameof(ringKey));
        }

        if (key.Length != KeySize)
        {
            throw new ArgumentException($"a derived key has {KeySize} bytes, not {key.Length}", nameof(key));
        }

        CheckVtep(senderVtep, nameof(senderVtep));
        CheckVtep(receiverVtep, nameof(receiverVtep));

        Span<byte> salt = stackalloc byte[SaltSize];
        BinaryPrimitives.WriteUInt64BigEndian(salt, session);

        Span<byte> info = stackalloc byte[Label.Length + 1 + IPv6Size + 1 + IPv6Size];
        var length = 0;
        Label.CopyTo(info);
        length += Label.Length;
        length += Append(info[length..], senderVtep);
        length += Append(info[length..], receiverVtep);

        HKDF.DeriveKey(HashAlgorithmName.SHA256, ringKey, key, salt, info[..length]);
    }

    /// <summary>Throws unless <paramref name="vtep"/> is the raw bytes of an IPv4 or IPv6 address.</summary>
    internal static void CheckVtep(ReadOnlySpan<byte> vtep, string name)
    {
        if (vtep.Length is not (IPv4Size or IPv6Size))
        {
            throw new ArgumentException($"a VTEP is an IPv4 or IPv6 address ({IPv4Size} or {IPv6Size} bytes), not {vtep.Length} bytes", name);
        }
    }

    // Length-prefixed so (sender, receiver) can never be read as another pair.
    private static int Append(Span<byte> destination, ReadOnlySpan<byte> address)
    {
        destination[0] = (byte)address.Length;
        address.CopyTo(destination[1..]);
        return 1 + address.Length;
    }
}
