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

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    /// <summary>nonce ‖ tag ‖ ciphertext, base64.</summary>
    public static string Seal(string keyPem, byte[] secret) => Convert.ToBase64String(AesGcmSeal.Seal(secret, Encoding.UTF8.GetBytes(keyPem)));

    public static string Open(string sealedText, byte[] secret)
    {
        try
        {
            return Encoding.UTF8.GetString(AesGcmSeal.Open(secret, Convert.FromBase64String(sealedText)));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or OverflowException or ArgumentException)
        {
            throw new BerthException(ErrorKind.Forbidden, $"the cluster's CA key does not open with this manager's secret ({e.Message}); was this node's ROOT/swarm/ca-key.secret replaced?", e);
        }
    }
}
