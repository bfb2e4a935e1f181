using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Pki;

namespace Berth.Cluster.Swarm;

/// <summary>
/// What a node reports of its TLS (Docker's node <c>Description.TLSInfo</c>): the roots it trusts (PEM) and the issuer
/// of its certificate (DER subject and public key). It rides in the node's heartbeat, the one key a worker writes; a
/// root rotation moves on when every node reports the new root.
/// </summary>
public sealed record NodeTlsReport
{
    public required string TrustRoot { get; init; }

    public required byte[] CertIssuerSubject { get; init; }

    public required byte[] CertIssuerPublicKey { get; init; }

    /// <summary>From the node's files: the trusted bundle and its certificate (whose issuer is one of the bundle's roots).</summary>
    public static NodeTlsReport Of(string trustBundle, string certificatePem)
    {
        X509Certificate2Collection roots = CaBundle.Load(trustBundle);
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            X509Certificate2? issuer = CaTrust.Issuer(certificate, roots);
            return new NodeTlsReport
            {
                TrustRoot = CaBundle.Join(CaBundle.Split(trustBundle)),
                CertIssuerSubject = certificate.IssuerName.RawData,
                CertIssuerPublicKey = issuer?.PublicKey.ExportSubjectPublicKeyInfo() ?? [],
            };
        }
        finally
        {
            CaBundle.Dispose(roots);
        }
    }

    /// <summary>Whether the node's certificate was issued by <paramref name="rootPem"/>.</summary>
    public bool IssuedBy(string rootPem)
    {
        using var root = X509Certificate2.CreateFromPem(rootPem);
        return root.SubjectName.RawData.AsSpan().SequenceEqual(CertIssuerSubject)
            && root.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(CertIssuerPublicKey);
    }

    /// <summary>Whether the node trusts <paramref name="rootPem"/>.</summary>
    public bool Trusts(string rootPem) => CaBundle.Split(TrustRoot).Contains(CaBundle.Primary(rootPem));
}
