namespace Berth.Api.Contracts;

/// <summary><c>GET /swarm</c>: <see cref="ClusterInfo"/> and the <see cref="JoinTokens"/> (managers only).</summary>
public sealed class Swarm : ClusterInfo
{
    public JoinTokens JoinTokens { get; set; } = new();
}
