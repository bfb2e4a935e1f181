namespace Berth.Diagnostics.Topology;

/// <summary>A swarm node: its name, role (<c>manager</c>, <c>leader</c>, <c>worker</c>), liveness, availability and address.</summary>
public sealed record TopologyNode(string Name, string Id, string Role, string State, string Availability, string Address)
{
    /// <summary>The node this topology was taken on.</summary>
    public bool Self { get; init; }
}
