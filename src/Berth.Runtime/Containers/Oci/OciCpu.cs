namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux.resources.cpu</c> (quota and period in microseconds).</summary>
public sealed record OciCpu
{
    public ulong? Shares { get; init; }

    public long? Quota { get; init; }

    public ulong? Period { get; init; }

    public string? Cpus { get; init; }

    public string? Mems { get; init; }
}
