using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;

namespace Berth.Cluster.Tests.Swarm;

/// <summary>The rules of a root rotation: what nodes trust, which root signs, when it moves on, how it ends, what a given CA must be.</summary>
public sealed class RootRotationPlanTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly ClusterId _clusterId = ClusterId.New();
    private readonly ClusterCa _old;
    private readonly ClusterCa _new;
    private readonly ClusterRecord _cluster;

    public RootRotationPlanTests()
    {
        _old = ClusterCa.Create(_clusterId, Now);
        _new = ClusterCa.Create(_clusterId, Now);
        var tokens = ClusterJoinTokens.Create(_old.Digest);
        _cluster = new ClusterRecord
        {
            Id = _clusterId,
            CreatedAt = Now,
            UpdatedAt = Now,
            Spec = new ClusterSpecRecord(),
            CaCertificate = _old.CertificatePem,
            WorkerToken = tokens.Worker.ToString(),
            ManagerToken = tokens.Manager.ToString(),
        };
    }

    public void Dispose()
    {
        _old.Dispose();
        _new.Dispose();
    }

    [Fact]
    public void ARotationSpreadsTrustThenCertificatesThenDropsTheOldRootAndChangesTheTokens()
    {
        NodeId a = NodeId.New(), b = NodeId.New();
        Assert.Equal([_old.CertificatePem], CaBundle.Split(RootRotationPlan.TrustBundle(_cluster)).AsEnumerable());
        Assert.Equal(RootRotationStep.Wait, RootRotationPlan.Next(_cluster, [a, b], new Dictionary<NodeId, NodeTlsReport>()));

        ClusterRecord trust = RootRotationPlan.Begin(_cluster, _new.CertificatePem, Now);
        Assert.Equal([_old.CertificatePem, _new.CertificatePem], CaBundle.Split(RootRotationPlan.TrustBundle(trust)).AsEnumerable());
        Assert.Equal(_old.CertificatePem, RootRotationPlan.SigningRoot(trust));
        Assert.Equal(_new.CertificatePem, RootRotationPlan.DesiredIssuer(trust));

        // One node trusts both, the other (Down: no report) not yet: the rotation waits for it.
        var reports = new Dictionary<NodeId, NodeTlsReport> { [a] = Report(trust, _old) };
        Assert.Equal(RootRotationStep.Wait, RootRotationPlan.Next(trust, [a, b], reports));
        Assert.False(RootRotationPlan.NeedsCertificate(trust, reports[a]));
        reports[b] = Report(trust, _old);
        Assert.Equal(RootRotationStep.IssueFromNewRoot, RootRotationPlan.Next(trust, [a, b], reports));

        ClusterRecord certificates = RootRotationPlan.IssueFromNewRoot(trust, Now);
        Assert.Equal(_new.CertificatePem, RootRotationPlan.SigningRoot(certificates));
        Assert.True(RootRotationPlan.NeedsCertificate(certificates, reports[a]));
        reports[a] = Report(certificates, _new);
        Assert.False(RootRotationPlan.NeedsCertificate(certificates, reports[a]));
        Assert.Equal(RootRotationStep.Wait, RootRotationPlan.Next(certificates, [a, b], reports));
        reports[b] = Report(certificates, _new);
        Assert.Equal(RootRotationStep.Finish, RootRotationPlan.Next(certificates, [a, b], reports));

        ClusterRecord done = RootRotationPlan.Finish(certificates, Now);
        Assert.Null(done.RootRotation);
        Assert.Equal(_new.CertificatePem, done.CaCertificate);
        Assert.Equal([_new.CertificatePem], CaBundle.Split(RootRotationPlan.TrustBundle(done)).AsEnumerable());
        Assert.Equal(_new.Digest, JoinToken.Parse(done.WorkerToken).CaDigest);
        Assert.Equal(_new.Digest, JoinToken.Parse(done.ManagerToken).CaDigest);
        Assert.NotEqual(JoinToken.Parse(_cluster.WorkerToken).Secret, JoinToken.Parse(done.WorkerToken).Secret);
    }

    [Fact]
    public void ForceRotateOrAGivenCaAskForANewRootAndAnythingElseDoesNot()
    {
        Assert.Null(RootRotationPlan.Requested(_cluster, new SwarmUpdate(_cluster.Spec, false, false), Now));
        using (ClusterCa generated = RootRotationPlan.Requested(_cluster, new SwarmUpdate(_cluster.Spec with { ForceRotate = 1 }, false, false), Now)!)
        {
            Assert.NotEqual(_old.CertificatePem, generated.CertificatePem);
        }

        CertificatePem given = _new.Export();
        using (ClusterCa adopted = RootRotationPlan.Requested(_cluster, Given(given.Certificate, given.Key), Now)!)
        {
            Assert.Equal(_new.CertificatePem, adopted.CertificatePem);
        }

        // The current root given again, or the one being rotated to: nothing new.
        CertificatePem current = _old.Export();
        Assert.Null(RootRotationPlan.Requested(_cluster, Given(current.Certificate, current.Key), Now));
        Assert.Null(RootRotationPlan.Requested(RootRotationPlan.Begin(_cluster, _new.CertificatePem, Now), Given(given.Certificate, given.Key), Now));
    }

    [Fact]
    public void AGivenCaThatIsNoCaWithItsKeyIsRefusedNamingTheFlags()
    {
        CertificatePem given = _new.Export();
        var mismatch = Assert.Throws<BerthException>(() => RootRotationPlan.Requested(_cluster, Given(given.Certificate, _old.Export().Key), Now));
        Assert.Equal(ErrorKind.InvalidArgument, mismatch.Kind);
        Assert.Contains("--ca-cert and --ca-key", mismatch.Message, StringComparison.Ordinal);

        var keyless = Assert.Throws<BerthException>(() => RootRotationPlan.Requested(_cluster, Given(given.Certificate, null), Now));
        Assert.Contains("--ca-key", keyless.Message, StringComparison.Ordinal);

        // A node certificate with its own key is no CA.
        using var leaf = _old.Issue(NodeId.New(), ClusterRole.Worker, null, CertificateValidity.DefaultNode, Now);
        CertificatePem leafPem = CertificatePem.Export(leaf);
        var notCa = Assert.Throws<BerthException>(() => RootRotationPlan.Requested(_cluster, Given(leafPem.Certificate, leafPem.Key), Now));
        Assert.Contains("not a cluster CA", notCa.Message, StringComparison.Ordinal);

        // An expired root.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=old-root", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var expired = request.CreateSelfSigned(Now.AddYears(-2), Now.AddYears(-1));
        var late = Assert.Throws<BerthException>(() => RootRotationPlan.Requested(_cluster, Given(expired.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem()), Now));
        Assert.Contains("not now", late.Message, StringComparison.Ordinal);
    }

    private SwarmUpdate Given(string? certificate, string? key) =>
        new(_cluster.Spec, false, false) { SigningCaCertificate = certificate, SigningCaKey = key };

    /// <summary>What a node trusting <paramref name="cluster"/>'s bundle and holding a certificate of <paramref name="issuer"/> reports.</summary>
    private static NodeTlsReport Report(ClusterRecord cluster, ClusterCa issuer)
    {
        using var certificate = issuer.Issue(NodeId.New(), ClusterRole.Worker, null, CertificateValidity.DefaultNode, Now);
        return NodeTlsReport.Of(RootRotationPlan.TrustBundle(cluster), certificate.ExportCertificatePem());
    }
}
