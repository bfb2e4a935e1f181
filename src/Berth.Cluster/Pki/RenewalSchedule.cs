namespace Berth.Cluster.Pki;

/// <summary>
/// When a node renews its own certificate (swarmkit <c>ca/certificates.go</c> and its renewal loop in
/// <c>ca/config.go</c>): at a random point between 50 % and 80 % of the certificate's validity (NotBefore, backdated by
/// <see cref="CertificateValidity.ClockSkewAllowance"/>, to NotAfter), so that nodes given their certificates together
/// do not all come back at once; at once when that point has passed (an expired certificate included: a manager signs
/// its own, and a worker's may still be accepted if only its clock is off). A failed attempt is tried again after an
/// exponential backoff with jitter (swarmkit's: base 1 s, factor 1 min, at most 1 h).
/// </summary>
public static class RenewalSchedule
{
    /// <summary>The earliest renewal, as a fraction of the validity (swarmkit <c>CertLowerRotationRange = 0.5</c>).</summary>
    public const double LowerFraction = 0.5;

    /// <summary>The latest renewal (swarmkit <c>CertUpperRotationRange = 0.8</c>).</summary>
    public const double UpperFraction = 0.8;

    public static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan BackoffFactor = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan BackoffMax = TimeSpan.FromHours(1);

    /// <summary>
    /// The renewal point of a certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>;
    /// <paramref name="random"/> in [0, 1) picks it between 50 % and 80 % (drawn once per certificate).
    /// </summary>
    public static DateTimeOffset Due(DateTimeOffset notBefore, DateTimeOffset notAfter, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(random, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(random, 1);
        TimeSpan validity = notAfter - notBefore;
        return validity <= TimeSpan.Zero ? notBefore : notBefore + validity * (LowerFraction + (UpperFraction - LowerFraction) * random);
    }

    /// <summary>
    /// The pause after <paramref name="failures"/> failed attempts in a row (at least 1): between the base and
    /// base + factor × 2^(failures − 1), capped at <see cref="BackoffMax"/>; <paramref name="random"/> in [0, 1) places it.
    /// </summary>
    public static TimeSpan Backoff(int failures, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(random, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(random, 1);
        // 2^6 minutes already passes the cap: no overflow for a node failing for days.
        TimeSpan spread = BackoffFactor * Math.Pow(2, Math.Min(failures - 1, 6));
        TimeSpan backoff = BackoffBase + spread * random;
        return backoff > BackoffMax ? BackoffMax : backoff;
    }
}
