using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
using Berth.Core.Errors;

namespace Berth.Cluster.Tests;

public sealed class ClusterCaTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Advertise = IPAddress.Parse("10.99.0.11");

    [Fact]
    public void The_root_is_a_self_signed_P256_swarm_ca_valid_20_years()
    {
        var cluster = ClusterId.New();
        using var ca = ClusterCa.Create(cluster, Now);
        X509Certificate2 root = ca.Certificate;

        Assert.Equal("CN=swarm-ca", root.Subject);
        Assert.Equal(root.Subject, root.Issuer);
        Assert.True(root.HasPrivateKey);
        using ECDsa key = root.GetECDsaPublicKey()!;
        Assert.Equal(256, key.KeySize);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, key.ExportParameters(false).Curve.Oid.Value);
        Assert.Equal(TimeSpan.FromDays(365 * 20), root.NotAfter - root.NotBefore);
        Assert.True(root.NotBefore <= Now.UtcDateTime);
        Assert.True(Assert.Single(root.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.True(Assert.Single(root.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.Equal(cluster, ca.Cluster);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", ca.CertificatePem, StringComparison.Ordinal);
    }

    /// <summary>Every node checks the chain on its own clock: one 50 minutes behind the signer's takes a root and a certificate made just now (found by ClusterChaosTests).</summary>
    [Fact]
    public void A_node_whose_clock_is_50_minutes_behind_takes_a_fresh_root_and_certificate()
    {
        using var ca = ClusterCa.Create(ClusterId.New(), Now);
        var node = NodeId.New();
        using X509Certificate2 certificate = ca.Issue(node, ClusterRole.Worker, Advertise, CertificateValidity.DefaultNode, Now);
        DateTimeOffset behind = Now - TimeSpan.FromMinutes(50);

        Assert.True(ca.Certificate.NotBefore.ToUniversalTime() <= behind.UtcDateTime);
        Assert.Equal(new NodeIdentity(node, ClusterRole.Worker, ca.Cluster), ca.Verify(certificate, behind));
        Assert.Equal(Now - TimeSpan.FromHours(1), new DateTimeOffset(certificate.NotBefore.ToUniversalTime()));
    }

    [Fact]
    public void A_manager_certificate_names_node_role_cluster_and_addresses()
    {
        using var ca = ClusterCa.Create(ClusterId.New(), Now);
        var node = NodeId.New();
        using X509Certificate2 certificate = ca.Issue(node, ClusterRole.Manager, Advertise, CertificateValidity.DefaultNode, Now);

        Assert.True(certificate.HasPrivateKey);
        var names = certificate.SubjectName.EnumerateRelativeDistinguishedNames().ToDictionary(n => n.GetSingleElementType().FriendlyName!, n => n.GetSingleElementValue());
        Assert.Equal(node.Value, names["CN"]);
        Assert.Equal("swarm-manager", names["OU"]);
        Assert.Equal(ca.Cluster.Value, names["O"]);
        Assert.Equal("CN=swarm-ca", certificate.Issuer);

        var san = Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["swarm-manager", node.Value, "swarm-ca"], san.EnumerateDnsNames());
        Assert.Equal([Advertise], san.EnumerateIPAddresses());

        var usages = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
        Assert.Contains("1.3.6.1.5.5.7.3.1", usages);
        Assert.Contains("1.3.6.1.5.5.7.3.2", usages);
        Assert.False(Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);

        Assert.Equal(Now.UtcDateTime + TimeSpan.FromDays(90), certificate.NotAfter.ToUniversalTime());
        Assert.Equal(new NodeIdentity(node, ClusterRole.Manager, ca.Cluster), NodeIdentity.Of(certificate));
        Assert.Equal(new NodeIdentity(node, ClusterRole.Manager, ca.Cluster), ca.Verify(certificate, Now));
    }

    [Fact]
    public void A_worker_certificate_has_the_worker_role_and_no_CA_name()
    {
        using var ca = ClusterCa.Create(ClusterId.New(), Now);
        var node = NodeId.New();
        using X509Certificate2 certificate = ca.Issue(node, ClusterRole.Worker, advertiseAddress: null, TimeSpan.FromHours(2), Now);

        Assert.Equal(ClusterRole.Worker, NodeIdentity.Of(certificate).Role);
        var san = Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["swarm-worker", node.Value], san.EnumerateDnsNames());
        Assert.Empty(san.EnumerateIPAddresses());
        Assert.Equal(Now.UtcDateTime + TimeSpan.FromHours(2), certificate.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Signing_a_request_keeps_the_nodes_key_and_overrides_its_subject()
    {
        using var ca = ClusterCa.Create(ClusterId.New(), Now);
        using ECDsa key = NodeKeys.Create();
        string request = NodeKeys.CreateSigningRequestPem(key);
        var node = NodeId.New();

        using X509Certificate2 signed = ca.Sign(request, node, ClusterRole.Worker, Advertise, CertificateValidity.DefaultNode, Now);

        Assert.False(signed.HasPrivateKey);
        Assert.DoesNotContain("berth-node", signed.Subject, StringComparison.Ordinal);
        using ECDsa published = signed.GetECDsaPublicKey()!;
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), published.ExportSubjectPublicKeyInfo());
        using X509Certificate2 withKey = signed.CopyWithPrivateKey(key);
        Assert.Equal(node, ca.Verify(withKey, Now).Node);
    }

    [Fact]
    public void A_tampered_or_garbage_request_is_refused()
    {
        using var ca = ClusterCa.Create(ClusterId.New(), Now);
        var e = Assert.Throws<BerthException>(() => ca.Sign("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", NodeId.New(), ClusterRole.Worker, null, CertificateValidity.DefaultNode, Now));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("certificate signing request", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_validity_under_an_hour_is_refused_and_none_outlives_the_root()
    {
        using var ca = ClusterCa.Create(ClusterId.New(), Now);
        var e = Assert.Throws<BerthException>(() => ca.Issue(NodeId.New(), ClusterRole.Worker, null, TimeSpan.FromMinutes(59), Now));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);

        using X509Certificate2 longLived = ca.Issue(NodeId.New(), ClusterRole.Worker, null, TimeSpan.FromDays(365 * 30), Now);
        Assert.Equal(ca.Certificate.NotAfter, longLived.NotAfter);
    }

    [Fact]
    public void Verification_refuses_expired_not_yet_valid_and_foreign_certificates()
    {
        using var ca = ClusterCa.Create(ClusterId.New(), Now);
        using var other = ClusterCa.Create(ClusterId.New(), Now);
        using X509Certificate2 certificate = ca.Issue(NodeId.New(), ClusterRole.Worker, Advertise, TimeSpan.FromDays(1), Now);
        using X509Certificate2 foreign = other.Issue(NodeId.New(), ClusterRole.Manager, Advertise, TimeSpan.FromDays(1), Now);

        Assert.True(ca.Verifies(certificate, Now + TimeSpan.FromHours(23)));
        Assert.True(ca.Verifies(certificate, Now - TimeSpan.FromMinutes(4)));

        var expired = Assert.Throws<BerthException>(() => ca.Verify(certificate, Now + TimeSpan.FromDays(2)));
        Assert.Equal(ErrorKind.Forbidden, expired.Kind);
        Assert.Contains("NotTimeValid", expired.Message, StringComparison.Ordinal);
        Assert.False(ca.Verifies(certificate, Now - CertificateValidity.ClockSkewAllowance - TimeSpan.FromMinutes(1)));

        // Same CN "swarm-ca" on the other root: only the signature tells them apart.
        var stranger = Assert.Throws<BerthException>(() => ca.Verify(foreign, Now));
        Assert.Equal(ErrorKind.Forbidden, stranger.Kind);
        Assert.Contains(ca.Cluster.Value, stranger.Message, StringComparison.Ordinal);
        Assert.False(ca.Verifies(foreign, Now));

        // The root itself chains to itself but is no node.
        Assert.False(ca.Verifies(ca.Certificate, Now));
    }

    [Fact]
    public void A_self_made_certificate_with_a_node_subject_is_refused()
    {
        using var ca = ClusterCa.Create(ClusterId.New(), Now);
        using ECDsa key = NodeKeys.Create();
        var identity = new NodeIdentity(NodeId.New(), ClusterRole.Manager, ca.Cluster);
        using X509Certificate2 forged = new CertificateRequest(identity.ToSubject(), key, HashAlgorithmName.SHA256).CreateSelfSigned(Now.AddHours(-1), Now.AddDays(1));

        Assert.Equal(identity, NodeIdentity.Of(forged));
        Assert.Equal(ErrorKind.Forbidden, Assert.Throws<BerthException>(() => ca.Verify(forged, Now)).Kind);
    }

    [Fact]
    public void The_CA_survives_a_PEM_round_trip_with_the_same_digest_and_still_signs()
    {
        var cluster = ClusterId.New();
        using var ca = ClusterCa.Create(cluster, Now);
        using X509Certificate2 before = ca.Issue(NodeId.New(), ClusterRole.Manager, Advertise, CertificateValidity.DefaultNode, Now);
        CertificatePem pem = ca.Export();

        Assert.Contains("BEGIN PRIVATE KEY", pem.Key, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", pem.ToString(), StringComparison.Ordinal);
        using var loaded = ClusterCa.Load(cluster, pem);
        Assert.Equal(ca.Digest, loaded.Digest);
        Assert.Equal(ca.CertificatePem, loaded.CertificatePem);
        Assert.True(loaded.Verifies(before, Now));
        using X509Certificate2 after = loaded.Issue(NodeId.New(), ClusterRole.Worker, Advertise, CertificateValidity.DefaultNode, Now);
        Assert.True(ca.Verifies(after, Now));
    }

    [Fact]
    public void Node_certificates_survive_a_PEM_round_trip_with_their_key()
    {
        using var ca = ClusterCa.Create(ClusterId.New(), Now);
        using X509Certificate2 certificate = ca.Issue(NodeId.New(), ClusterRole.Worker, Advertise, CertificateValidity.DefaultNode, Now);
        CertificatePem pem = CertificatePem.Export(certificate);

        using X509Certificate2 back = pem.Import();
        Assert.True(back.HasPrivateKey);
        Assert.Equal(certificate.Thumbprint, back.Thumbprint);
        Assert.Equal(NodeIdentity.Of(certificate), ca.Verify(back, Now));
        using ECDsa key = back.GetECDsaPrivateKey()!;
        byte[] data = [1, 2, 3];
        using ECDsa published = certificate.GetECDsaPublicKey()!;
        Assert.True(published.VerifyData(data, key.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Loading_refuses_a_key_of_another_certificate_and_a_node_certificate_as_CA()
    {
        var cluster = ClusterId.New();
        using var ca = ClusterCa.Create(cluster, Now);
        using var other = ClusterCa.Create(cluster, Now);
        var mismatched = new CertificatePem(ca.CertificatePem, other.Export().Key);

        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => mismatched.Import()).Kind);
        using X509Certificate2 node = ca.Issue(NodeId.New(), ClusterRole.Manager, null, CertificateValidity.DefaultNode, Now);
        var e = Assert.Throws<BerthException>(() => ClusterCa.Load(cluster, CertificatePem.Export(node)));
        Assert.Contains("is not a cluster CA", e.Message, StringComparison.Ordinal);
    }
}
