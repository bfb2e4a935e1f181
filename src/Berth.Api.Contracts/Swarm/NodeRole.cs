namespace Berth.Api.Contracts;

/// <summary><c>NodeSpec.Role</c> values.</summary>
public static class NodeRole
{
    public const string Worker = "worker";
    public const string Manager = "manager";
}
