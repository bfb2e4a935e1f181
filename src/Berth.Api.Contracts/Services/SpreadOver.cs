namespace Berth.Api.Contracts;

/// <summary><c>spread=node.labels.zone</c>: tasks spread evenly over the values of that label.</summary>
public sealed class SpreadOver
{
    public string? SpreadDescriptor { get; set; }
}
