namespace Berth.Api.Contracts;

/// <summary>Reply of <c>POST /networks/prune</c>; <c>null</c> when nothing was removed.</summary>
public sealed class NetworkPruneResponse
{
    public List<string>? NetworksDeleted { get; set; }
}
