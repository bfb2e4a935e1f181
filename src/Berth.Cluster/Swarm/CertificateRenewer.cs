using Berth.Cluster.Pki;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Swarm;

/// <summary>
/// A node's own certificate renewed before it expires, on <see cref="RenewalSchedule"/>. The loop wakes at the renewal
/// point, or every <see cref="LookAgain"/> at the latest, and reads the certificate again each time: one replaced
/// meanwhile (a role change, a root rotation, a rejoin) is scheduled afresh, with a new random point drawn once for it.
/// </summary>
/// <param name="current">The certificate the node holds now; null while it is in no swarm or not connected.</param>
/// <param name="renew">One renewal: true once the new certificate is in place, false when there was nothing to do now.</param>
/// <param name="random">A uniform draw in [0, 1).</param>
internal sealed class CertificateRenewer(TimeProvider time, Func<CertificateTerm?> current, Func<CancellationToken, Task<bool>> renew, Func<double> random, ILogger logger)
{
    /// <summary>
    /// The longest sleep. Timers run on the monotonic clock, certificates on the wall clock, which can jump (NTP stepping
    /// it, a VM resumed after days): each wake compares the wall clock again. It also bounds how late a certificate
    /// replaced meanwhile is noticed. A look reads one small file.
    /// </summary>
    public static readonly TimeSpan LookAgain = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? serial = null;
        double draw = 0;
        int failures = 0;
        DateTimeOffset? retryAt = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                DateTimeOffset now = time.GetUtcNow();
                if (Current() is not { } term)
                {
                    await Task.Delay(LookAgain, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (term.Serial != serial)
                {
                    serial = term.Serial;
                    draw = random();
                    failures = 0;
                    retryAt = null;
                    RotationLog.RenewalScheduled(logger, term.Serial, RenewalSchedule.Due(term.NotBefore, term.NotAfter, draw), term.NotAfter);
                }

                DateTimeOffset due = retryAt ?? RenewalSchedule.Due(term.NotBefore, term.NotAfter, draw);
                if (due > now)
                {
                    TimeSpan wait = due - now;
                    await Task.Delay(wait < LookAgain ? wait : LookAgain, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    // After a renewal the new certificate's serial starts a new schedule; with nothing done, look again later.
                    retryAt = await renew(cancellationToken).ConfigureAwait(false) ? null : now + LookAgain;
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    failures++;
                    TimeSpan backoff = RenewalSchedule.Backoff(failures, random());
                    retryAt = time.GetUtcNow() + backoff;
                    RotationLog.RenewalFailed(logger, failures, backoff, term.NotAfter, e);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private CertificateTerm? Current()
    {
        try
        {
            return current();
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
        {
            return null; // being replaced, or gone with a leave: look again later
        }
    }
}
