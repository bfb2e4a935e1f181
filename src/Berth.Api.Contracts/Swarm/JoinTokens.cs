namespace Berth.Api.Contracts;

/// <summary><c>SWMTKN-1-…</c> tokens a node joins with, as a worker or as a manager (<c>GET /swarm</c> only).</summary>
public sealed class JoinTokens
{
    public string Worker { get; set; } = "";

    public string Manager { get; set; } = "";
}
