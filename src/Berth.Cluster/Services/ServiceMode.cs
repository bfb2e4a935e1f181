namespace Berth.Cluster.Services;

public enum ServiceModeKind
{
    Replicated,
    Global,
    ReplicatedJob,
    GlobalJob,
}

/// <summary><c>--mode replicated|global</c> (and the job modes), with the replica count of a replicated service.</summary>
public sealed record ServiceMode(ServiceModeKind Kind, ulong Replicas = 0)
{
    public static ServiceMode Replicated(ulong replicas) => new(ServiceModeKind.Replicated, replicas);

    public static ServiceMode Global { get; } = new(ServiceModeKind.Global);

    public bool IsGlobal => Kind is ServiceModeKind.Global or ServiceModeKind.GlobalJob;
}
