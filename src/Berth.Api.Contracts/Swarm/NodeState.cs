namespace Berth.Api.Contracts;

/// <summary><c>NodeStatus.State</c> values (<c>node ls</c> shows them capitalised).</summary>
public static class NodeState
{
    public const string Unknown = "unknown";
    public const string Down = "down";
    public const string Ready = "ready";
    public const string Disconnected = "disconnected";
}
