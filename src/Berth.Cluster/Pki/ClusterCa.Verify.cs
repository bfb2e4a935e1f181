using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Identity;
using Berth.Core.Errors;

namespace Berth.Cluster.Pki;

/// <summary>Checking a presented node certificate: it chains to this root (and no other) and is valid at the time asked.</summary>
public sealed partial class ClusterCa
{
    /// <summary>
    /// The identity of a certificate that chains to this CA and is valid at <paramref name="at"/>; anything else
    /// is Forbidden, naming why (another CA, expired, not yet valid). The system's trusted roots play no part.
    /// </summary>
    public NodeIdentity Verify(X509Certificate2 certificate, DateTimeOffset at) => Verify(new X509Certificate2Collection(Certificate), Cluster, certificate, at);

    /// <summary>
    /// As <see cref="Verify(X509Certificate2, DateTimeOffset)"/>, against any of <paramref name="roots"/>: during a root
    /// rotation a node's certificate may be of the old root or of the new one.
    /// </summary>
    public static NodeIdentity Verify(X509Certificate2Collection roots, ClusterId cluster, X509Certificate2 certificate, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (!chain.Build(certificate))
        {
            string reasons = string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}").Distinct(StringComparer.Ordinal));
            throw new BerthException(ErrorKind.Forbidden, $"certificate \"{certificate.Subject}\" is not valid for cluster {cluster} at {at:u}: {reasons}");
        }

        NodeIdentity identity = NodeIdentity.Of(certificate);
        if (identity.Cluster != cluster)
        {
            throw new BerthException(ErrorKind.Forbidden, $"certificate of node {identity.Node} names cluster {identity.Cluster}, not {cluster}");
        }

        return identity;
    }

    /// <summary><see cref="Verify"/> without the reason.</summary>
    public bool Verifies(X509Certificate2 certificate, DateTimeOffset at)
    {
        try
        {
            Verify(certificate, at);
            return true;
        }
        catch (BerthException e) when (e.Kind is ErrorKind.Forbidden or ErrorKind.InvalidArgument)
        {
            return false;
        }
    }
}
