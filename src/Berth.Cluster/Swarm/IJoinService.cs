using System.Security.Cryptography.X509Certificates;

namespace Berth.Cluster.Swarm;

/// <summary>What a manager's join service does: admit a new node, and give a member a certificate for the role its record now names.</summary>
public interface IJoinService
{
    Task<JoinAnswer> AdmitAsync(JoinRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// A node of the cluster (authenticated by <paramref name="clientCertificate"/>, which must chain to the CA) asks for
    /// a certificate of the role its record names after <c>node promote/demote</c>; a node becoming a manager gets an
    /// etcd learner and the initial cluster, as a joining manager does.
    /// </summary>
    Task<JoinAnswer> RenewAsync(RenewRequest request, X509Certificate2? clientCertificate, CancellationToken cancellationToken);
}
