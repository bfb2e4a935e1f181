using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// <c>/info</c>'s <c>Swarm</c>. Outside a swarm Go writes
/// <c>{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive","ControlAvailable":false,"Error":"","RemoteManagers":null}</c>;
/// in one, <c>swarm join</c> tells "joined as a manager" from <see cref="ControlAvailable"/>, <c>node ls</c> stars
/// <see cref="NodeID"/>, and managers add the counts and <see cref="Cluster"/>.
/// </summary>
public sealed class SwarmInfo
{
    public string NodeID { get; set; } = "";

    public string NodeAddr { get; set; } = "";

    /// <summary>A <see cref="Contracts.LocalNodeState"/> value.</summary>
    public string LocalNodeState { get; set; } = Contracts.LocalNodeState.Inactive;

    /// <summary>True on a manager: it can answer the cluster's routes.</summary>
    public bool ControlAvailable { get; set; }

    public string Error { get; set; } = "";

    public List<SwarmPeer>? RemoteManagers { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Nodes { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Managers { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClusterInfo? Cluster { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Warnings { get; set; }
}
