namespace Berth.Api.Contracts;

/// <summary><c>Swarm.LocalNodeState</c> in <c>/info</c>; the <c>Swarm</c> header of <c>/_ping</c> starts with the same word.</summary>
public static class LocalNodeState
{
    public const string Inactive = "inactive";
    public const string Pending = "pending";
    public const string Active = "active";
    public const string Error = "error";
    public const string Locked = "locked";
}
