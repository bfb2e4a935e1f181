using System.Security.Cryptography;
using System.Text;
using Berth.Cluster.Identity;
using Berth.Core.Errors;

namespace Berth.Cluster.Secrets;

/// <summary>
/// A secret's data as it rests in etcd: AES-256-GCM under a key only managers can make. The key is derived (HKDF-SHA256,
/// its own info string) from the managers' CA-key secret (<c>ROOT/swarm/ca-key.secret</c>, <see cref="Pki.CaKeySeal"/>),
/// which reaches a manager in its join or promotion answer and never a worker; the CA key's seal and this one never
/// share a key. The secret's kind and id are the associated data: a sealed value copied into another record does not open.
/// </summary>
public sealed class SecretSeal
{
    public const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    /// <summary>HKDF's info: what the derived key is for (a new purpose gets a new string, never this key).</summary>
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("berth swarm secrets v1");

    private readonly byte[] _key;

    private SecretSeal(byte[] key)
    {
        _key = key;
    }

    /// <summary>The seal of the cluster whose managers hold <paramref name="managerSecret"/>.</summary>
    public static SecretSeal FromManagerSecret(ReadOnlySpan<byte> managerSecret)
    {
        if (managerSecret.Length < KeyBytes)
        {
            throw new BerthException(ErrorKind.Forbidden, $"the managers' secret is {managerSecret.Length} bytes, not {KeyBytes}: this node cannot seal or open swarm secrets");
        }

        byte[] key = new byte[KeyBytes];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, managerSecret, key, salt: [], info: Purpose);
        return new SecretSeal(key);
    }

    /// <summary>nonce ‖ tag ‖ ciphertext, base64.</summary>
    public string Seal(SecretKind kind, SecretId id, ReadOnlySpan<byte> plain)
    {
        byte[] sealedData = new byte[NonceBytes + TagBytes + plain.Length];
        RandomNumberGenerator.Fill(sealedData.AsSpan(0, NonceBytes));
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(sealedData.AsSpan(0, NonceBytes), plain, sealedData.AsSpan(NonceBytes + TagBytes), sealedData.AsSpan(NonceBytes, TagBytes), Associated(kind, id));
        return Convert.ToBase64String(sealedData);
    }

    public byte[] Open(SecretKind kind, SecretId id, string sealedText)
    {
        try
        {
            byte[] sealedData = Convert.FromBase64String(sealedText);
            byte[] plain = new byte[sealedData.Length - NonceBytes - TagBytes];
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(sealedData.AsSpan(0, NonceBytes), sealedData.AsSpan(NonceBytes + TagBytes), sealedData.AsSpan(NonceBytes, TagBytes), plain, Associated(kind, id));
            return plain;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or OverflowException or ArgumentException)
        {
            throw new BerthException(ErrorKind.Forbidden,
                $"{kind.Name()} {id.Value} does not open with this manager's key ({e.Message}); was its record copied from another swarm, or ROOT/swarm/ca-key.secret replaced?", e);
        }
    }

    private static byte[] Associated(SecretKind kind, SecretId id) => Encoding.ASCII.GetBytes($"{kind.Name()}/{id.Value}");
}
