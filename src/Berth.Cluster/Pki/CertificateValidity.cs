namespace Berth.Cluster.Pki;

/// <summary>How long the cluster's certificates last (swarmkit <c>ca/certificates.go</c>).</summary>
public static class CertificateValidity
{
    /// <summary>The root CA: <c>RootCAExpiration = "630720000s"</c>, 20 years of 365 days.</summary>
    public static readonly TimeSpan Root = TimeSpan.FromSeconds(630_720_000);

    /// <summary>Node certificates unless <c>swarm update --cert-expiry</c> says otherwise: <c>DefaultNodeCertExpiration = 2160h</c>.</summary>
    public static readonly TimeSpan DefaultNode = TimeSpan.FromHours(2160);

    /// <summary>swarmkit refuses a <c>--cert-expiry</c> under an hour (<c>MinNodeCertExpiration</c>).</summary>
    public static readonly TimeSpan MinimumNode = TimeSpan.FromHours(1);

    /// <summary>A <c>--cert-expiry</c> (init or update) under <see cref="MinimumNode"/> is refused with swarmkit's words (controlapi <c>validateClusterSpec</c>).</summary>
    public static void CheckNodeExpiry(TimeSpan expiry)
    {
        if (expiry < MinimumNode)
        {
            throw new Core.Errors.BerthException(Core.Errors.ErrorKind.InvalidArgument, "minimum certificate expiry time is: 1h0m0s");
        }
    }

    /// <summary>
    /// NotBefore is set this far back (swarmkit's <c>CertBackdate = 1 * time.Hour</c>), so a node whose clock is behind
    /// the signing manager's by less than that still takes a fresh root or certificate: every node checks the chain with
    /// its own clock (join, etcd and node-channel TLS). It was 5 minutes: a worker 10 minutes behind could not join.
    /// </summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromHours(1);
}
