namespace Berth.Cluster.Swarm;

/// <summary>What a node tells the cluster about itself (Docker's <c>NodeDescription</c>).</summary>
public sealed record SwarmHostFacts
{
    public required string Hostname { get; init; }

    public required string EngineVersion { get; init; }

    /// <summary><c>uname -m</c> spelling (<c>x86_64</c>).</summary>
    public string Architecture { get; init; } = "x86_64";

    public string OS { get; init; } = "linux";

    public long NanoCpus { get; init; }

    public long MemoryBytes { get; init; }
}
