namespace Berth.Cluster.Services;

/// <summary><c>--limit-*</c> and <c>--reserve-*</c>: CPUs in billionths of a CPU, memory in bytes; 0 is none.</summary>
public sealed record TaskResources
{
    public long LimitNanoCpus { get; init; }

    public long LimitMemoryBytes { get; init; }

    public long LimitPids { get; init; }

    public long ReserveNanoCpus { get; init; }

    public long ReserveMemoryBytes { get; init; }
}
