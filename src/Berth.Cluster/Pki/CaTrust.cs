using System.Security.Cryptography.X509Certificates;

namespace Berth.Cluster.Pki;

/// <summary>The one check a TLS peer's certificate gets inside the cluster: it chains to the cluster's CA, and to nothing the machine trusts.</summary>
public static class CaTrust
{
    public static bool ChainsTo(X509Certificate presented, X509Certificate2 ca) => ChainsTo(presented, new X509Certificate2Collection(ca));

    /// <summary>To any of <paramref name="roots"/>: during a root rotation a node trusts the old root and the new one.</summary>
    public static bool ChainsTo(X509Certificate presented, X509Certificate2Collection roots)
    {
        using var certificate = new X509Certificate2(presented);
        return Issuer(certificate, roots) is not null;
    }

    /// <summary>The root among <paramref name="roots"/> that <paramref name="certificate"/> chains to, or null.</summary>
    public static X509Certificate2? Issuer(X509Certificate2 certificate, X509Certificate2Collection roots, DateTimeOffset? at = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (at is { } time)
        {
            chain.ChainPolicy.VerificationTime = time.UtcDateTime;
            chain.ChainPolicy.VerificationTimeIgnored = false;
        }

        if (!chain.Build(certificate))
        {
            return null;
        }

        X509Certificate2 top = chain.ChainElements[^1].Certificate;
        return roots.FirstOrDefault(root => root.RawDataMemory.Span.SequenceEqual(top.RawDataMemory.Span));
    }
}
