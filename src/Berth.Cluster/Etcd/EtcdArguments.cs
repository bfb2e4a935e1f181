namespace Berth.Cluster.Etcd;

/// <summary>The command line of a manager's etcd member (etcd 3.4's flags).</summary>
public static class EtcdArguments
{
    /// <summary>Keep one hour of history: watches that fall further behind are told to re-list (compaction).</summary>
    private const string CompactionRetention = "1h";

    /// <summary>
    /// Operations one transaction may hold (etcd's default is 128): removing a network with its address claims is
    /// one transaction, and a refused one would be an error the user cannot fix.
    /// </summary>
    private const string MaxTransactionOperations = "4096";

    /// <summary>
    /// Raft's tick (etcd's default is 100 ms): how often a leader tells its followers it lives. Members of a swarm
    /// share a LAN, whose round trip is far below it (etcd's tuning guide: about the round-trip time or more).
    /// </summary>
    private const string HeartbeatIntervalMs = "100";

    /// <summary>
    /// How long a follower waits without a heartbeat before it stands for leader (etcd's default is 1000 ms; its
    /// tuning guide's own example for a LAN is 100/500, and it must be at least 5 ticks). A member that founds a
    /// cluster waits one such timeout (drawn between one tick and this value) before it elects itself, and
    /// <c>swarm init</c> waits for that; a cluster that loses its leader waits it too before electing another.
    /// </summary>
    private const string ElectionTimeoutMs = "500";

    /// <summary>
    /// Committed entries between two snapshots, which bound the raft log etcd keeps in memory (etcd 3.4's default
    /// is 100,000; 3.6 went back to 10,000). A follower further behind than the 5,000 entries etcd keeps after a
    /// snapshot catches up from the snapshot instead, as it would with the default.
    /// </summary>
    private const string SnapshotCount = "10000";

    public static IReadOnlyList<string> For(EtcdMemberOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string client = Origin(options.ClientUrl);
        string peer = Origin(options.PeerUrl);
        string[] force = options.ForceNewCluster ? ["--force-new-cluster"] : [];
        return
        [
            .. force,
            "--name", options.Name,
            "--data-dir", options.DataDirectory,
            "--listen-client-urls", client,
            "--advertise-client-urls", client,
            "--listen-peer-urls", peer,
            "--initial-advertise-peer-urls", peer,
            "--initial-cluster", string.Join(',', options.InitialCluster),
            "--initial-cluster-state", options.JoinExisting ? "existing" : "new",
            "--initial-cluster-token", options.ClusterToken,
            // Clients and peers alike must show a certificate of the cluster's CA; with auth enabled, a client's
            // certificate CN is its etcd user (the node id).
            "--client-cert-auth",
            "--trusted-ca-file", options.Tls.CaFile,
            "--cert-file", options.Tls.CertificateFile,
            "--key-file", options.Tls.KeyFile,
            "--peer-client-cert-auth",
            "--peer-trusted-ca-file", options.Tls.CaFile,
            "--peer-cert-file", options.Tls.CertificateFile,
            "--peer-key-file", options.Tls.KeyFile,
            "--max-txn-ops", MaxTransactionOperations,
            "--heartbeat-interval", HeartbeatIntervalMs,
            "--election-timeout", ElectionTimeoutMs,
            // A member that stood for leader after missing heartbeats (a stall on a busy host) first asks whether
            // it could win; the others, who still hear the leader, say no, so it cannot depose a working leader.
            "--pre-vote",
            "--snapshot-count", SnapshotCount,
            "--auto-compaction-mode", "periodic",
            "--auto-compaction-retention", CompactionRetention,
            "--logger", "zap",
            "--log-outputs", "stderr",
        ];
    }

    private static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority);
}
