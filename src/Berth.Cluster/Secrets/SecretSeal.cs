using System.Security.Cryptography;
using System.Text;
using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
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
    public string Seal(SecretKind kind, SecretId id, ReadOnlySpan<byte> plain) => Convert.ToBase64String(AesGcmSeal.Seal(_key, plain, Associated(kind, id)));

    public byte[] Open(SecretKind kind, SecretId id, string sealedText)
    {
        try
        {
            return AesGcmSeal.Open(_key, Convert.FromBase64String(sealedText), Associated(kind, id));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            throw new BerthException(ErrorKind.Forbidden,
                $"{kind.Name()} {id.Value} does not open with this manager's key ({e.Message}); was its record copied from another swarm, or ROOT/swarm/ca-key.secret replaced?", e);
        }
    }

    /// <summary>A service's registry credentials (its <c>X-Registry-Auth</c> as sent), bound to the service: nonce ‖ tag ‖ ciphertext, base64.</summary>
    public string SealRegistryAuth(ServiceId service, string encoded) =>
        Convert.ToBase64String(AesGcmSeal.Seal(_key, Encoding.UTF8.GetBytes(encoded), RegistryAuthAssociated(service)));

    public string OpenRegistryAuth(ServiceId service, string sealedText)
    {
        try
        {
            return Encoding.UTF8.GetString(AesGcmSeal.Open(_key, Convert.FromBase64String(sealedText), RegistryAuthAssociated(service)));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            throw new BerthException(ErrorKind.Forbidden,
                $"the registry credentials of service {service.Value} do not open with this manager's key ({e.Message}); update the service with --with-registry-auth again", e);
        }
    }

    private static byte[] RegistryAuthAssociated(ServiceId service) => Encoding.ASCII.GetBytes($"registry-auth/{service.Value}");

    private static byte[] Associated(SecretKind kind, SecretId id) => Encoding.ASCII.GetBytes($"{kind.Name()}/{id.Value}");
}
