using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Identity;
using Berth.Cluster.Pki;

namespace Berth.Cluster.NodeChannel;

/// <summary>
/// What a node shows and trusts on the node channel: its own certificate (with key), presented as server and as
/// client, and the cluster's roots (<c>ca.crt</c>, both during a root rotation). Nothing else is trusted: the
/// system's roots play no part, and a peer of another cluster is refused.
/// </summary>
public sealed record NodeChannelCredentials(X509Certificate2 Certificate, X509Certificate2Collection Roots, NodeIdentity Identity)
{
    /// <summary>The peer's identity if its certificate chains to the cluster's roots and names this cluster; else Forbidden.</summary>
    public NodeIdentity VerifyPeer(X509Certificate2 peer, DateTimeOffset at) => ClusterCa.Verify(Roots, Identity.Cluster, peer, at);

    /// <summary><see cref="VerifyPeer"/> as a yes or no, for TLS callbacks.</summary>
    public bool Trusts(X509Certificate2? peer, DateTimeOffset at)
    {
        if (peer is null)
        {
            return false;
        }

        try
        {
            VerifyPeer(peer, at);
            return true;
        }
        catch (Core.Errors.BerthException e) when (e.Kind is Core.Errors.ErrorKind.Forbidden or Core.Errors.ErrorKind.InvalidArgument)
        {
            return false;
        }
    }

    public NodeId Node => Identity.Node;
}
