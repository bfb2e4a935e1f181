using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Swarm;

/// <summary>Logs of a root CA rotation (<c>swarm ca --rotate</c>) and of certificate renewal: event ids 7045–7054, within the swarm's range.</summary>
internal static partial class RotationLog
{
    [LoggerMessage(EventId = 7045, Level = LogLevel.Information, Message = "root CA rotation started: the new root is {Digest}")]
    public static partial void Started(ILogger logger, string digest);

    [LoggerMessage(EventId = 7046, Level = LogLevel.Information, Message = "root CA rotation: every node trusts the new root {Digest}; certificates now come from it")]
    public static partial void IssuingFromNewRoot(ILogger logger, string digest);

    [LoggerMessage(EventId = 7047, Level = LogLevel.Information, Message = "root CA rotation finished: the cluster's root is {Digest}, the join tokens are new")]
    public static partial void Finished(ILogger logger, string digest);

    [LoggerMessage(EventId = 7048, Level = LogLevel.Information, Message = "node {Node} reconnected with its new TLS files (trusting {Roots} root(s)) in {Milliseconds} ms")]
    public static partial void Reopened(ILogger logger, string node, int roots, long milliseconds);

    [LoggerMessage(EventId = 7049, Level = LogLevel.Information, Message = "node {Node} has a certificate of the new root")]
    public static partial void Renewed(ILogger logger, string node);

    [LoggerMessage(EventId = 7050, Level = LogLevel.Warning, Message = "root CA rotation step on this node failed; trying again at the next look")]
    public static partial void StepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7051, Level = LogLevel.Information, Message = "waiting for another manager to restart its etcd member before restarting {Node}'s")]
    public static partial void WaitingForRestartTurn(ILogger logger, string node);

    [LoggerMessage(EventId = 7052, Level = LogLevel.Information, Message = "certificate {Serial} of node {Node} renewed before it expires: the new one {NewSerial} is valid until {NotAfter:o}")]
    public static partial void CertificateRenewed(ILogger logger, string serial, string node, string newSerial, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 7053, Level = LogLevel.Warning, Message = "renewing this node's certificate failed ({Failures} in a row); trying again in {Backoff} (it expires {NotAfter:o})")]
    public static partial void RenewalFailed(ILogger logger, int failures, TimeSpan backoff, DateTimeOffset notAfter, Exception exception);

    [LoggerMessage(EventId = 7054, Level = LogLevel.Debug, Message = "certificate {Serial} will be renewed at {Due:o} (it expires {NotAfter:o})")]
    public static partial void RenewalScheduled(ILogger logger, string serial, DateTimeOffset due, DateTimeOffset notAfter);
}
