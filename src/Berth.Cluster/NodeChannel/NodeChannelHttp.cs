using System.Security.Cryptography.X509Certificates;

namespace Berth.Cluster.NodeChannel;

/// <summary>The client side of the node channel: this node's certificate as the client's, only this cluster's CA trusted.</summary>
public static class NodeChannelHttp
{
    /// <summary>A node that does not answer within this is taken as unreachable.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public static SocketsHttpHandler Handler(NodeChannelCredentials current) => new()
    {
        ConnectTimeout = ConnectTimeout,
        UseProxy = false,
        SslOptions =
        {
            ClientCertificates = new X509CertificateCollection { current.Certificate },
            LocalCertificateSelectionCallback = (_, _, _, _, _) => current.Certificate,
            // The cluster's CA and cluster id decide; a node certificate names no host, so the name is not checked.
            RemoteCertificateValidationCallback = (_, certificate, _, _) => current.Trusts(certificate as X509Certificate2, DateTimeOffset.UtcNow),
        },
    };
}
