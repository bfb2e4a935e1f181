using System.Security.Cryptography.X509Certificates;

namespace Berth.Cluster.Pki;

/// <summary>The one check a TLS peer's certificate gets inside the cluster: it chains to the cluster's CA, and to nothing the machine trusts.</summary>
public static class CaTrust
{
    public static bool ChainsTo(X509Certificate presented, X509Certificate2 ca)
    {
        using var certificate = new X509Certificate2(presented);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(certificate);
    }
}
