using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Core.Errors;

namespace Berth.Cluster.Pki;

/// <summary>A certificate and its ECDSA key as PEM text (what goes on disk under berthd's root, and into etcd's TLS flags).</summary>
public sealed record CertificatePem(string Certificate, string Key)
{
    public static CertificatePem Export(X509Certificate2 certificate)
    {
        using ECDsa key = certificate.GetECDsaPrivateKey()
            ?? throw new BerthException(ErrorKind.InvalidArgument, $"certificate \"{certificate.Subject}\" has no ECDSA private key to export");
        return new CertificatePem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>
    /// The certificate with its private key. Malformed PEM (CryptographicException) and a key of another
    /// certificate (ArgumentException) are both refused as InvalidArgument.
    /// </summary>
    public X509Certificate2 Import()
    {
        try
        {
            return X509Certificate2.CreateFromPem(Certificate, Key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"certificate and key PEM do not load as a pair: {e.Message}", e);
        }
    }

    /// <summary>Never the key: records print every member, and this one may reach a log.</summary>
    public override string ToString() => $"CertificatePem {{ Certificate = {Certificate.Length} characters, Key = (hidden) }}";
}
