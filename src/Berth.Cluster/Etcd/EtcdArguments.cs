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

    public static IReadOnlyList<string> For(EtcdMemberOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string client = Origin(options.ClientUrl);
        string peer = Origin(options.PeerUrl);
        return
        [
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
            "--auto-compaction-mode", "periodic",
            "--auto-compaction-retention", CompactionRetention,
            "--logger", "zap",
            "--log-outputs", "stderr",
        ];
    }

    private static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority);
}
