using System.Security.Cryptography;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Cluster.Pki;

/// <summary>
/// The SHA-256 of the cluster CA certificate's PEM text (swarmkit's <c>RootCA.Digest</c>), as 64 lowercase hex
/// digits. A join token carries it so a joining node can pin the CA before it trusts anything it is told.
/// </summary>
public readonly record struct CaDigest
{
    public const int Bytes = 32;

    public CaDigest(string hex)
    {
        if (hex is not { Length: Bytes * 2 } || !hex.All(char.IsAsciiHexDigitLower))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"\"{hex}\" is not a CA digest (64 lowercase hex digits of a SHA-256)");
        }

        Hex = hex;
    }

    public string Hex { get; }

    public static CaDigest Of(string caCertificatePem) => new(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caCertificatePem))));

    public byte[] ToBytes() => Convert.FromHexString(Hex);

    /// <summary>In constant time: a token's digest is compared with the CA a manager presented.</summary>
    public bool Matches(CaDigest other) => other.Hex is not null && Hex is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hex), Encoding.ASCII.GetBytes(other.Hex));

    public override string ToString() => "sha256:" + Hex;
}
