using System.Collections.Immutable;
using Berth.Cluster.Pki;

namespace Berth.Cluster.Swarm;

/// <summary>What <c>swarm init</c> and <c>swarm update</c> set on the cluster (Docker's <c>SwarmSpec</c>, the parts Berth keeps).</summary>
public sealed record ClusterSpecRecord
{
    /// <summary>swarmkit's default: five finished tasks kept per slot.</summary>
    public const long DefaultTaskHistoryRetentionLimit = 5;

    public string Name { get; init; } = "default";

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public long TaskHistoryRetentionLimit { get; init; } = DefaultTaskHistoryRetentionLimit;

    /// <summary>Validity of node certificates (<c>--cert-expiry</c>).</summary>
    public TimeSpan NodeCertExpiry { get; init; } = CertificateValidity.DefaultNode;

    /// <summary>How often nodes heartbeat (<c>--dispatcher-heartbeat</c>); Berth's lease keep-alive follows its own period.</summary>
    public TimeSpan HeartbeatPeriod { get; init; } = TimeSpan.FromSeconds(5);

    public bool AutoLockManagers { get; init; }

    /// <summary><c>CAConfig.ForceRotate</c>: <c>swarm ca --rotate</c> raises it to ask for a new root; any other value than the current starts one.</summary>
    public ulong ForceRotate { get; init; }
}
