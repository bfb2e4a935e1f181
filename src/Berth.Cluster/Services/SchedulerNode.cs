using System.Collections.Immutable;
using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;

namespace Berth.Cluster.Services;

/// <summary>A node as the scheduler weighs it.</summary>
public sealed record SchedulerNode(NodeId Id, string Hostname, ClusterRole Role, NodeAvailability Availability, bool Ready)
{
    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public ImmutableSortedDictionary<string, string> EngineLabels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public string Os { get; init; } = "linux";

    public string Architecture { get; init; } = "x86_64";

    public long NanoCpus { get; init; }

    public long MemoryBytes { get; init; }

    /// <summary>Takes tasks: alive and active (not paused, not drained).</summary>
    public bool Schedulable => Ready && Availability == NodeAvailability.Active;

    public static SchedulerNode From(NodeRecord record, bool ready)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new SchedulerNode(record.Id, record.Host.Hostname, record.Role, record.Availability, ready)
        {
            Labels = record.Labels,
            Os = record.Host.OS,
            Architecture = record.Host.Architecture,
            NanoCpus = record.Host.NanoCpus,
            MemoryBytes = record.Host.MemoryBytes,
        };
    }

    /// <summary><c>uname -m</c> and Go spellings of one architecture made one (<c>x86_64</c> is <c>amd64</c>).</summary>
    public static string NormaliseArchitecture(string architecture) => architecture.ToLowerInvariant() switch
    {
        "x86_64" or "x86-64" or "amd64" => "amd64",
        "aarch64" or "arm64" => "arm64",
        "i386" or "i686" or "386" => "386",
        var other => other,
    };
}
