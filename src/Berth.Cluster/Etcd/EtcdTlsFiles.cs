namespace Berth.Cluster.Etcd;

/// <summary>
/// PEM files of one node's identity, as etcd reads them: the cluster CA that every peer and client certificate must
/// chain to, and this node's certificate and key (used for both the client and the peer listener).
/// </summary>
public sealed record EtcdTlsFiles(string CaFile, string CertificateFile, string KeyFile);
