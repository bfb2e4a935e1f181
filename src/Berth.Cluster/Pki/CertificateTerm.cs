using System.Security.Cryptography.X509Certificates;

namespace Berth.Cluster.Pki;

/// <summary>Which certificate a node holds and for how long it is valid: what its renewal is scheduled from.</summary>
public readonly record struct CertificateTerm(string Serial, DateTimeOffset NotBefore, DateTimeOffset NotAfter)
{
    public static CertificateTerm Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new(certificate.SerialNumber, new DateTimeOffset(certificate.NotBefore.ToUniversalTime()), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
    }

    /// <summary>The certificate in a PEM file (its key is not read).</summary>
    public static CertificateTerm OfFile(string certificatePemFile)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePemFile));
        return Of(certificate);
    }
}
