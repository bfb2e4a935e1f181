namespace Berth.Api.Contracts.Diagnostics;

/// <summary>A service task on an overlay network: <c>Name</c> is Docker's <c>service.slot</c>.</summary>
public sealed class TopologyTaskContract
{
    public string Name { get; set; } = "";

    public string Service { get; set; } = "";

    public int Slot { get; set; }

    public string Node { get; set; } = "";

    /// <summary>The node's id (names may repeat).</summary>
    public string? NodeId { get; set; }

    public string? Address { get; set; }

    public string State { get; set; } = "";
}
