using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
using Berth.Core.Errors;

namespace Berth.Cluster.Swarm;

/// <summary>
/// The rules of a root CA rotation (<c>swarm ca --rotate</c>), pure: which roots a node trusts, which root signs, when
/// the rotation moves on and how it ends. Nodes and managers act on these from what they read (SwarmNode.Rotation).
/// </summary>
/// <remarks>
/// Berth does not cross-sign the new root with the old key (as swarmkit does); it spreads trust first. A certificate of
/// the new root is only ever shown to nodes that trust it: <see cref="RootRotationPhase.Trust"/> lasts until every node
/// reports both roots, and only then are certificates issued from the new root. The join tokens keep pinning the old
/// root until the end, when they change with it.
/// </remarks>
public static class RootRotationPlan
{
    /// <summary>What every node should trust: the cluster's root, and the new one while a rotation is under way (in this order).</summary>
    public static string TrustBundle(ClusterRecord cluster) => cluster.RootRotation is { } rotation
        ? CaBundle.Join([cluster.CaCertificate, rotation.NewCaCertificate])
        : CaBundle.Join([cluster.CaCertificate]);

    /// <summary>The root that signs certificates now: the new one once every node trusts it.</summary>
    public static string SigningRoot(ClusterRecord cluster) =>
        cluster.RootRotation is { Phase: RootRotationPhase.Certificates } rotation ? rotation.NewCaCertificate : cluster.CaCertificate;

    /// <summary>The root node certificates should come from (Docker's cluster <c>TLSInfo</c> issuer): the new one for the whole rotation.</summary>
    public static string DesiredIssuer(ClusterRecord cluster) => cluster.RootRotation?.NewCaCertificate ?? cluster.CaCertificate;

    /// <summary>
    /// Whether <paramref name="update"/> asks for a new root: a signing CA given (other than the current root or the
    /// one already being rotated to), or <c>ForceRotate</c> changed. Returns the root (with its key) to rotate to, or null.
    /// </summary>
    public static ClusterCa? Requested(ClusterRecord cluster, SwarmUpdate update, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(update);
        if (!string.IsNullOrEmpty(update.SigningCaCertificate) || !string.IsNullOrEmpty(update.SigningCaKey))
        {
            ClusterCa given = Adopt(cluster.Id, update.SigningCaCertificate, update.SigningCaKey, now);
            if (given.CertificatePem == cluster.CaCertificate && cluster.RootRotation is null
                || given.CertificatePem == cluster.RootRotation?.NewCaCertificate)
            {
                given.Dispose();
                return null; // already the root, or the one being rotated to
            }

            return given;
        }

        return update.Spec.ForceRotate != cluster.Spec.ForceRotate ? ClusterCa.Create(cluster.Id, now) : null;
    }

    /// <summary>A rotation to <paramref name="newRoot"/> begins (one under way is replaced: its nodes start over, as Docker's do).</summary>
    public static ClusterRecord Begin(ClusterRecord cluster, string newRoot, DateTimeOffset now) => cluster with
    {
        RootRotation = new RootRotationRecord { NewCaCertificate = newRoot, Phase = RootRotationPhase.Trust, StartedAt = now },
        UpdatedAt = now,
    };

    /// <summary>
    /// What comes next, from every node of the cluster (<paramref name="nodes"/>) and the reports of those alive
    /// (<paramref name="reports"/>): a node without a report (Down) holds the rotation up until it is back or removed.
    /// </summary>
    public static RootRotationStep Next(ClusterRecord cluster, IEnumerable<NodeId> nodes, IReadOnlyDictionary<NodeId, NodeTlsReport> reports)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(reports);
        if (cluster.RootRotation is not { } rotation)
        {
            return RootRotationStep.Wait;
        }

        return rotation.Phase switch
        {
            RootRotationPhase.Trust when nodes.All(node => reports.TryGetValue(node, out var report) && report.Trusts(rotation.NewCaCertificate)) => RootRotationStep.IssueFromNewRoot,
            RootRotationPhase.Certificates when nodes.All(node => reports.TryGetValue(node, out var report) && report.IssuedBy(rotation.NewCaCertificate)) => RootRotationStep.Finish,
            _ => RootRotationStep.Wait,
        };
    }

    public static ClusterRecord IssueFromNewRoot(ClusterRecord cluster, DateTimeOffset now) => cluster with
    {
        RootRotation = (cluster.RootRotation ?? throw NotRotating()) with { Phase = RootRotationPhase.Certificates },
        UpdatedAt = now,
    };

    /// <summary>The end: the new root is the cluster's, the old one goes, and the join tokens are new (their digest names the new root).</summary>
    public static ClusterRecord Finish(ClusterRecord cluster, DateTimeOffset now)
    {
        string root = (cluster.RootRotation ?? throw NotRotating()).NewCaCertificate;
        var tokens = ClusterJoinTokens.Create(CaDigest.Of(root));
        return cluster with
        {
            CaCertificate = root,
            RootRotation = null,
            WorkerToken = tokens.Worker.ToString(),
            ManagerToken = tokens.Manager.ToString(),
            UpdatedAt = now,
        };
    }

    /// <summary>Whether a node whose TLS is <paramref name="own"/> should ask for a certificate of the new root now.</summary>
    public static bool NeedsCertificate(ClusterRecord cluster, NodeTlsReport own) =>
        cluster.RootRotation is { Phase: RootRotationPhase.Certificates } rotation && !own.IssuedBy(rotation.NewCaCertificate);

    /// <summary>
    /// A root given with <c>swarm ca --rotate --ca-cert F --ca-key F</c>: a CA certificate (ECDSA, as Berth's node keys
    /// are) with its own key, valid now. Anything else is refused naming the flags, before anything changes.
    /// </summary>
    public static ClusterCa Adopt(ClusterId cluster, string? certificatePem, string? keyPem, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(certificatePem) || string.IsNullOrWhiteSpace(keyPem))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                "invalid CA config: a signing CA certificate needs its key and a key needs its certificate (give both --ca-cert and --ca-key); Berth has no external CA");
        }

        ClusterCa ca;
        try
        {
            ca = ClusterCa.Load(cluster, new CertificatePem(certificatePem, keyPem));
        }
        catch (BerthException e) when (e.Kind == ErrorKind.InvalidArgument)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid CA config: --ca-cert and --ca-key must be a CA certificate and its ECDSA private key: {e.Message}", e);
        }

        X509Certificate2 root = ca.Certificate;
        if (!root.SubjectName.RawData.AsSpan().SequenceEqual(root.IssuerName.RawData))
        {
            string subject = root.Subject;
            ca.Dispose();
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid CA config: the --ca-cert certificate \"{subject}\" is not a root (it is not self-signed); give a root CA certificate");
        }

        DateTime notBefore = root.NotBefore.ToUniversalTime(), notAfter = root.NotAfter.ToUniversalTime();
        if (notBefore > now.UtcDateTime || notAfter < (now + CertificateValidity.MinimumNode).UtcDateTime)
        {
            ca.Dispose();
            throw new BerthException(ErrorKind.InvalidArgument,
                $"invalid CA config: the --ca-cert certificate is valid from {notBefore:u} to {notAfter:u}, not now; give a CA certificate that is valid");
        }

        return ca;
    }

    private static BerthException NotRotating() => new(ErrorKind.Conflict, "no root CA rotation is under way");
}
