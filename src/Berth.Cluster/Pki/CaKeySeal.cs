using System.Security.Cryptography;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Cluster.Pki;

/// <summary>
/// The CA's private key as it rests in etcd: sealed with AES-256-GCM under a secret only managers hold (made at
/// <c>swarm init</c>, handed to a manager in its join answer over the pinned TLS connection, kept in
/// <c>ROOT/swarm/ca-key.secret</c>). Workers may read the cluster's keys (etcd permissions are by prefix, and the
/// store needs the whole prefix), so the key they can read must be of no use to them.
/// </summary>
public static class CaKeySeal
{
    public const int SecretBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    /// <summary>nonce ‖ tag ‖ ciphertext, base64.</summary>
    public static string Seal(string keyPem, byte[] secret)
    {
        byte[] plain = Encoding.UTF8.GetBytes(keyPem);
        byte[] sealedKey = new byte[NonceBytes + TagBytes + plain.Length];
        RandomNumberGenerator.Fill(sealedKey.AsSpan(0, NonceBytes));
        using var aes = new AesGcm(secret, TagBytes);
        aes.Encrypt(sealedKey.AsSpan(0, NonceBytes), plain, sealedKey.AsSpan(NonceBytes + TagBytes), sealedKey.AsSpan(NonceBytes, TagBytes));
        return Convert.ToBase64String(sealedKey);
    }

    public static string Open(string sealedText, byte[] secret)
    {
        try
        {
            byte[] sealedKey = Convert.FromBase64String(sealedText);
            byte[] plain = new byte[sealedKey.Length - NonceBytes - TagBytes];
            using var aes = new AesGcm(secret, TagBytes);
            aes.Decrypt(sealedKey.AsSpan(0, NonceBytes), sealedKey.AsSpan(NonceBytes + TagBytes), sealedKey.AsSpan(NonceBytes, TagBytes), plain);
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or OverflowException or ArgumentException)
        {
            throw new BerthException(ErrorKind.Forbidden, $"the cluster's CA key does not open with this manager's secret ({e.Message}); was this node's ROOT/swarm/ca-key.secret replaced?", e);
        }
    }
}
