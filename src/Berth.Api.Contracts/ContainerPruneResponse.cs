namespace Berth.Api.Contracts;

/// <summary>Reply of <c>POST /containers/prune</c>; <c>ContainersDeleted</c> is <c>null</c> when nothing was removed.</summary>
public sealed class ContainerPruneResponse
{
    public List<string>? ContainersDeleted { get; set; }

    public long SpaceReclaimed { get; set; }
}
