namespace Berth.Diagnostics.Topology;

/// <summary>A service task on an overlay: <c>web.2</c> on node <c>n2</c> at <c>10.0.1.5/24</c>, running.</summary>
public sealed record TopologyTask(string Service, int Slot, string Node, string? Address, string State)
{
    /// <summary>The node's id: names may repeat (hosts cloned from one image), ids do not.</summary>
    public string? NodeId { get; init; }

    /// <summary>Docker's task name: <c>service.slot</c>, or the service alone for a global task.</summary>
    public string Name => Slot > 0 ? $"{Service}.{Slot.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : Service;
}
