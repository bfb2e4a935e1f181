using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Berth.Cluster.Identity;
using Berth.Core.Errors;

namespace Berth.Cluster.Pki;

/// <summary>
/// Docker's join token, <c>SWMTKN-1-&lt;CA digest&gt;-&lt;secret&gt;</c> (swarmkit <c>ca/config.go</c>): the CA
/// certificate's SHA-256 in base 36, zero-padded to 50 digits, and 16 random bytes in base 36, zero-padded to
/// 25. The digest pins the CA for the joining node; the secret (one for workers, one for managers) admits it and
/// decides its role. Version 2 (<c>SWMTKN-2-&lt;fips&gt;-…</c>, FIPS clusters) is not issued by Berth.
/// </summary>
public sealed record JoinToken
{
    public const string Prefix = "SWMTKN";
    public const int Version = 1;

    /// <summary>Base 36 digits of a SHA-256: ⌈256 / log2(36)⌉.</summary>
    public const int DigestLength = 50;

    /// <summary>Base 36 digits of the 16-byte secret: ⌈128 / log2(36)⌉.</summary>
    public const int SecretLength = 25;

    private const int SecretBytes = 16;
    private static readonly BigInteger DigestLimit = BigInteger.One << (CaDigest.Bytes * 8);
    private static readonly BigInteger SecretLimit = BigInteger.One << (SecretBytes * 8);

    private JoinToken(CaDigest caDigest, string secret)
    {
        CaDigest = caDigest;
        Secret = secret;
    }

    /// <summary>The CA the token pins.</summary>
    public CaDigest CaDigest { get; }

    /// <summary>The 25 base 36 digits after the digest.</summary>
    public string Secret { get; }

    /// <summary>A new token for the CA of digest <paramref name="caDigest"/>, with a fresh random secret.</summary>
    public static JoinToken Generate(CaDigest caDigest)
    {
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        return FromSecret(caDigest, secret);
    }

    /// <summary>The token of a given 16-byte secret (tests pin the encoding with it).</summary>
    internal static JoinToken FromSecret(CaDigest caDigest, ReadOnlySpan<byte> secret) =>
        secret.Length == SecretBytes
            ? new JoinToken(caDigest, Base36.Encode(secret, SecretLength))
            : throw new ArgumentException($"a join token secret is {SecretBytes} bytes", nameof(secret));

    /// <summary>Reads a token as <c>docker swarm join --token</c> passes it; every flaw is an "invalid join token" naming it.</summary>
    public static JoinToken Parse(string? text)
    {
        string[] parts = (text ?? "").Trim().Split('-');
        if (parts.Length < 2 || parts[0] != Prefix)
        {
            throw Invalid($"it must start with {Prefix}-{Version}-");
        }

        if (parts[1] != Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw Invalid(parts[1] == "2"
                ? $"version 2 (FIPS) tokens are not supported; Berth issues {Prefix}-{Version}- tokens"
                : $"unknown version \"{parts[1]}\"; Berth reads {Prefix}-{Version}- tokens");
        }

        if (parts.Length != 4)
        {
            throw Invalid($"expected {Prefix}-{Version}-<{DigestLength}-character CA digest>-<{SecretLength}-character secret>, found {parts.Length} parts");
        }

        string digest = parts[2];
        string secret = parts[3];
        if (digest.Length != DigestLength || !Base36.TryDecode(digest, out BigInteger digestValue) || digestValue >= DigestLimit)
        {
            throw Invalid($"the CA digest must be {DigestLength} lowercase letters and digits, found \"{digest}\"");
        }

        if (secret.Length != SecretLength || !Base36.TryDecode(secret, out BigInteger secretValue) || secretValue >= SecretLimit)
        {
            throw Invalid($"the secret must be {SecretLength} lowercase letters and digits, found {secret.Length} characters");
        }

        byte[] digestBytes = new byte[CaDigest.Bytes];
        digestValue.TryWriteBytes(digestBytes.AsSpan(CaDigest.Bytes - digestValue.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return new JoinToken(new CaDigest(Convert.ToHexStringLower(digestBytes)), secret);
    }

    /// <summary>
    /// Pinning: the CA certificate a manager presented must be the one this token names, else the token belongs to
    /// another cluster (or someone is in the middle) and nothing from that manager may be trusted.
    /// </summary>
    public void VerifyCa(string caCertificatePem)
    {
        CaDigest presented = CaDigest.Of(caCertificatePem);
        if (!CaDigest.Matches(presented))
        {
            throw new BerthException(ErrorKind.Forbidden,
                $"invalid join token: the manager's CA certificate ({presented}) is not the one the token names ({CaDigest}); the token is for another cluster, or the connection is intercepted");
        }
    }

    /// <summary>In constant time, whether <paramref name="other"/> has this token's secret and CA.</summary>
    public bool Matches(JoinToken other) =>
        CaDigest.Matches(other.CaDigest)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Secret), Encoding.ASCII.GetBytes(other.Secret));

    public bool Equals(JoinToken? other) => other is not null && Matches(other);

    public override int GetHashCode() => HashCode.Combine(CaDigest, Secret);

    public override string ToString() =>
        $"{Prefix}-{Version}-{Base36.Encode(CaDigest.ToBytes(), DigestLength)}-{Secret}";

    private static BerthException Invalid(string reason) => new(ErrorKind.InvalidArgument, $"invalid join token: {reason}");
}
