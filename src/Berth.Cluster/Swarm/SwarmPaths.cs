using Berth.Cluster.Etcd;

namespace Berth.Cluster.Swarm;

/// <summary>
/// A node's swarm state under berthd's root: <c>ROOT/swarm/</c> holds <c>state.json</c> (written atomically), the
/// CA certificate, the node's certificate and key, and (on a manager) the etcd member's data. Its presence is
/// what "this node is in a swarm" means after a restart; leaving deletes it whole.
/// </summary>
public sealed record SwarmPaths(string Directory)
{
    public static SwarmPaths Under(string root) => new(Path.Combine(root, "swarm"));

    public string StateFile => Path.Combine(Directory, "state.json");

    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string CertificateFile => Path.Combine(Directory, "node.crt");

    public string KeyFile => Path.Combine(Directory, "node.key");

    /// <summary>A manager's secret that opens the CA key sealed in etcd (<see cref="Pki.CaKeySeal"/>); workers have none.</summary>
    public string CaKeySecretFile => Path.Combine(Directory, "ca-key.secret");

    public string EtcdDirectory => Path.Combine(Directory, "etcd");

    public EtcdTlsFiles Tls => new(CaFile, CertificateFile, KeyFile);
}
