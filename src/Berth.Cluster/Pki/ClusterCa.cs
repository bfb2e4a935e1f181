using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Identity;
using Berth.Core.Errors;

namespace Berth.Cluster.Pki;

/// <summary>
/// The cluster's root CA, as <c>swarm init</c> makes it (swarmkit <c>CreateRootCA</c>): a self-signed ECDSA P-256
/// certificate, CN <c>swarm-ca</c>, valid 20 years. It signs node certificates whose subject says node id, role and
/// cluster (<see cref="NodeIdentity"/>), and checks that a presented certificate chains to it. Holds the private
/// key: dispose it.
/// </summary>
public sealed partial class ClusterCa : IDisposable
{
    private const int SerialNumberBytes = 16;

    private ClusterCa(ClusterId cluster, X509Certificate2 certificate)
    {
        Cluster = cluster;
        Certificate = certificate;
        CertificatePem = certificate.ExportCertificatePem();
        Digest = CaDigest.Of(CertificatePem);
    }

    public ClusterId Cluster { get; }

    /// <summary>The root certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>What nodes are given to trust; <see cref="Digest"/> is taken over exactly this text.</summary>
    public string CertificatePem { get; }

    public CaDigest Digest { get; }

    /// <summary>A new root for <paramref name="cluster"/>, valid from <paramref name="now"/> (less the clock skew allowance).</summary>
    public static ClusterCa Create(ClusterId cluster, DateTimeOffset now)
    {
        using ECDsa key = NodeKeys.Create();
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(ClusterRoles.CaName);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        DateTimeOffset notBefore = now - CertificateValidity.ClockSkewAllowance;
        return new ClusterCa(cluster, request.CreateSelfSigned(notBefore, notBefore + CertificateValidity.Root));
    }

    /// <summary>The root of <paramref name="cluster"/> as <see cref="Export"/> wrote it.</summary>
    public static ClusterCa Load(ClusterId cluster, CertificatePem pem)
    {
        X509Certificate2 certificate = pem.Import();
        using (ECDsa? key = certificate.GetECDsaPrivateKey())
        {
            if (key is null || !IsCertificateAuthority(certificate))
            {
                string subject = certificate.Subject;
                certificate.Dispose();
                throw new BerthException(ErrorKind.InvalidArgument, $"certificate \"{subject}\" is not a cluster CA with its key (an ECDSA CA certificate is needed)");
            }
        }

        return new ClusterCa(cluster, certificate);
    }

    public CertificatePem Export() => Pki.CertificatePem.Export(Certificate);

    /// <summary>
    /// Signs a node's PKCS #10 request (its own key stays with it). The subject and names are the CA's choice, never
    /// the request's: CN node id, OU role, O cluster; DNS names the role, the node id and, for managers,
    /// <c>swarm-ca</c>; the advertise address as an IP name; client and server authentication.
    /// </summary>
    public X509Certificate2 Sign(string signingRequestPem, NodeId node, ClusterRole role, IPAddress? advertiseAddress, TimeSpan validity, DateTimeOffset now)
    {
        if (validity < CertificateValidity.MinimumNode)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"node certificate validity {validity} is too short; give at least {CertificateValidity.MinimumNode.TotalHours:0} hour");
        }

        CertificateRequest signingRequest;
        try
        {
            signingRequest = CertificateRequest.LoadSigningRequestPem(signingRequestPem, HashAlgorithmName.SHA256);
        }
        catch (CryptographicException e)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"node {node}: the certificate signing request does not load or its signature is wrong: {e.Message}", e);
        }

        var identity = new NodeIdentity(node, role, Cluster);
        var request = new CertificateRequest(identity.ToSubject(), signingRequest.PublicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([Oids.ServerAuthentication, Oids.ClientAuthentication], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        request.CertificateExtensions.Add(AlternativeNames(identity, advertiseAddress));

        DateTimeOffset notBefore = now - CertificateValidity.ClockSkewAllowance;
        DateTimeOffset notAfter = now + validity;
        if (notAfter > Certificate.NotAfter)
        {
            // A leaf cannot outlive the root that vouches for it.
            notAfter = Certificate.NotAfter;
        }

        byte[] serial = RandomNumberGenerator.GetBytes(SerialNumberBytes);
        serial[0] &= 0x7f; // a positive ASN.1 INTEGER
        return request.Create(Certificate, notBefore, notAfter, serial);
    }

    /// <summary>A key, request and signature in one: for this node's own certificate on the manager that holds the CA.</summary>
    public X509Certificate2 Issue(NodeId node, ClusterRole role, IPAddress? advertiseAddress, TimeSpan validity, DateTimeOffset now)
    {
        using ECDsa key = NodeKeys.Create();
        using X509Certificate2 certificate = Sign(NodeKeys.CreateSigningRequestPem(key), node, role, advertiseAddress, validity, now);
        return certificate.CopyWithPrivateKey(key);
    }

    public void Dispose() => Certificate.Dispose();

    private static X509Extension AlternativeNames(NodeIdentity identity, IPAddress? advertiseAddress)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(identity.Role.OrganizationalUnit());
        names.AddDnsName(identity.Node.Value);
        if (identity.Role == ClusterRole.Manager)
        {
            names.AddDnsName(ClusterRoles.CaName);
        }

        if (advertiseAddress is not null)
        {
            names.AddIpAddress(advertiseAddress);
        }

        return names.Build();
    }

    private static bool IsCertificateAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(c => c.CertificateAuthority);
}
