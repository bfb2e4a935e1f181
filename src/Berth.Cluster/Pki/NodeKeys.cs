using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Cluster.Pki;

/// <summary>
/// A node's side of getting a certificate: it makes its own ECDSA P-256 key (swarmkit's algorithm) and sends the
/// CA only a signing request, so the private key never leaves the node.
/// </summary>
public static class NodeKeys
{
    public static ECDsa Create() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A PKCS #10 request for <paramref name="key"/>; the CA overrides its subject and names, as swarmkit does.</summary>
    public static string CreateSigningRequestPem(ECDsa key)
    {
        var request = new CertificateRequest("CN=berth-node", key, HashAlgorithmName.SHA256);
        return request.CreateSigningRequestPem();
    }
}
