using System.Security.Cryptography;

namespace Berth.Cluster.Pki;

/// <summary>AES-256-GCM as both of the cluster's seals use it: nonce ‖ tag ‖ ciphertext, a fresh random nonce each time.</summary>
internal static class AesGcmSeal
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plain, ReadOnlySpan<byte> associated = default)
    {
        byte[] sealedData = new byte[NonceBytes + TagBytes + plain.Length];
        RandomNumberGenerator.Fill(sealedData.AsSpan(0, NonceBytes));
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(sealedData.AsSpan(0, NonceBytes), plain, sealedData.AsSpan(NonceBytes + TagBytes), sealedData.AsSpan(NonceBytes, TagBytes), associated);
        return sealedData;
    }

    /// <summary>Throws <see cref="CryptographicException"/> (or <see cref="ArgumentException"/> for a short value) when it does not open.</summary>
    public static byte[] Open(byte[] key, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associated = default)
    {
        if (sealedData.Length < NonceBytes + TagBytes)
        {
            throw new ArgumentException($"a sealed value has at least {NonceBytes + TagBytes} bytes, this one {sealedData.Length}", nameof(sealedData));
        }

        byte[] plain = new byte[sealedData.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedData[..NonceBytes], sealedData[(NonceBytes + TagBytes)..], sealedData.Slice(NonceBytes, TagBytes), plain, associated);
        return plain;
    }
}
