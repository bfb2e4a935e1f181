namespace Berth.Api.Contracts.Diagnostics;

/// <summary>A swarm node: <c>Role</c> leader, manager or worker; <c>State</c> ready, down or unknown.</summary>
public sealed class TopologyNodeContract
{
    public string Name { get; set; } = "";

    public string Id { get; set; } = "";

    public string Role { get; set; } = "";

    public string State { get; set; } = "";

    public string Availability { get; set; } = "";

    public string Address { get; set; } = "";

    public bool Self { get; set; }
}
