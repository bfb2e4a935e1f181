using Berth.Cluster.Identity;
using Berth.Core.Errors;

namespace Berth.Cluster.Pki;

/// <summary>
/// The cluster's two join tokens (<c>docker swarm join-token worker|manager</c>): same CA digest, separate
/// secrets, so the token a node presents decides its role. Rotating one makes a new secret and leaves the other.
/// </summary>
public sealed record ClusterJoinTokens(JoinToken Worker, JoinToken Manager)
{
    public static ClusterJoinTokens Create(CaDigest caDigest) => new(JoinToken.Generate(caDigest), JoinToken.Generate(caDigest));

    public JoinToken For(ClusterRole role) => role == ClusterRole.Manager ? Manager : Worker;

    /// <summary><c>join-token --rotate</c>: a fresh secret for <paramref name="role"/>; tokens handed out before stop working.</summary>
    public ClusterJoinTokens Rotate(ClusterRole role) => role == ClusterRole.Manager
        ? this with { Manager = JoinToken.Generate(Manager.CaDigest) }
        : this with { Worker = JoinToken.Generate(Worker.CaDigest) };

    /// <summary>The role <paramref name="presented"/> admits a node as; a token matching neither secret admits nobody.</summary>
    public ClusterRole Admit(JoinToken presented)
    {
        if (!Worker.CaDigest.Matches(presented.CaDigest))
        {
            throw new BerthException(ErrorKind.Forbidden, $"invalid join token: it names the CA {presented.CaDigest}, this cluster's is {Worker.CaDigest}; get a token with docker swarm join-token on one of this cluster's managers");
        }

        // Both compared, always, so the time taken does not tell which secret came close.
        bool manager = Manager.Matches(presented);
        bool worker = Worker.Matches(presented);
        return manager ? ClusterRole.Manager
            : worker ? ClusterRole.Worker
            : throw new BerthException(ErrorKind.Forbidden, "invalid join token: a valid join token is necessary to join this cluster (was it rotated?); get the current one with docker swarm join-token on a manager");
    }
}
