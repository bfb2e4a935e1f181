using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Identity;
using Berth.Cluster.NodeChannel;
using Berth.Cluster.Pki;

namespace Berth.Cluster.Swarm;

/// <summary>
/// A node renews its own certificate before it expires (<see cref="CertificateRenewer"/> on swarmkit's schedule,
/// <see cref="RenewalSchedule"/>), of the same role and from the root that signs now, valid for the cluster's
/// <c>--cert-expiry</c>: a manager signs its own, a worker asks a manager's <c>/renew</c>, authenticated by its current
/// certificate. Nothing is restarted: everything that shows the certificate reads the files again at its next TLS
/// handshake — the etcd member (etcd reloads its certificate files for each new connection), the store, membership
/// and health clients and the join service (through <see cref="_credentials"/> or one like it), the node channel.
/// </summary>
public sealed partial class SwarmNode
{
    /// <summary>This node's certificate as it is on disk now, for the join service it serves as a manager.</summary>
    private readonly NodeChannelCredentialSource _credentials = new(paths);
    private int _renewerStarted;
    private Task? _renewer;

    /// <summary>Once, at the first session: the loop then lives as long as this node (out of a swarm it only looks again now and then).</summary>
    private void StartRenewer()
    {
        if (Interlocked.CompareExchange(ref _renewerStarted, 1, 0) != 0)
        {
            return;
        }

        var renewer = new CertificateRenewer(time, CurrentTerm, RenewOwnCertificateAsync, Random.Shared.NextDouble, logger);
        _renewer = Task.Run(() => renewer.RunAsync(_disposing.Token));
    }

    private CertificateTerm? CurrentTerm() =>
        Volatile.Read(ref _session) is not null && Volatile.Read(ref _state) is not null ? CertificateTerm.OfFile(paths.CertificateFile) : null;

    /// <summary>Under the gate: a role change or a rotation step writes the same files.</summary>
    private async Task<bool> RenewOwnCertificateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state is not { } state || _session is not { } session)
            {
                return false;
            }

            CertificateTerm old = CertificateTerm.OfFile(paths.CertificateFile);
            if (await IssueOwnCertificateAsync(state, session, _ => true, cancellationToken).ConfigureAwait(false) is not { } renewed)
            {
                return false;
            }

            RotationLog.CertificateRenewed(logger, old.Serial, state.Node.Value, renewed.Serial, renewed.NotAfter);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A new key and a certificate of this node's role for it, written over the old pair (the trusted roots stay): a
    /// manager signs its own when <paramref name="wanted"/> still holds for the cluster record, a worker gets one from
    /// a manager's <c>/renew</c>. Null when there was nothing to do (not wanted any more, or a role change under way).
    /// </summary>
    private async Task<CertificateTerm?> IssueOwnCertificateAsync(LocalSwarmState state, Session session, Func<ClusterRecord, bool> wanted, CancellationToken cancellationToken)
    {
        using ECDsa key = NodeKeys.Create();
        string signingRequest = NodeKeys.CreateSigningRequestPem(key);
        string certificatePem;
        if (state.Role == ClusterRole.Manager)
        {
            var (cluster, ca) = await LoadCaAsync(session, state, cancellationToken).ConfigureAwait(false);
            using (ca)
            {
                if (!wanted(cluster))
                {
                    return null;
                }

                using var signed = ca.Sign(signingRequest, state.Node, ClusterRole.Manager, IPAddress.Parse(state.AdvertiseAddress), cluster.Spec.NodeCertExpiry, time.GetUtcNow());
                certificatePem = signed.ExportCertificatePem();
            }
        }
        else
        {
            var request = new RenewRequest { SigningRequest = signingRequest, AdvertiseAddress = state.AdvertiseAddress };
            JoinAnswer answer = await RenewFromAnyManagerAsync(await ManagersToAskAsync(state, session, cancellationToken).ConfigureAwait(false), request, cancellationToken).ConfigureAwait(false);
            if (answer.Role != state.Role)
            {
                return null; // a promotion is under way: SwarmNode.Roles takes the new certificate with the new role
            }

            certificatePem = answer.Certificate;
        }

        CertificateTerm term;
        using (var signed = X509Certificate2.CreateFromPem(certificatePem))
        using (var certificate = signed.CopyWithPrivateKey(key))
        {
            SwarmStateFile.SaveIdentity(paths, await File.ReadAllTextAsync(paths.CaFile, cancellationToken).ConfigureAwait(false), CertificatePem.Export(certificate));
            term = CertificateTerm.Of(certificate);
        }

        RefreshTlsReport();
        return term;
    }
}
