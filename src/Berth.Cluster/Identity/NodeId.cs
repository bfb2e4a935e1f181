namespace Berth.Cluster.Identity;

/// <summary>A node's id in the cluster: 25 lowercase base 36 characters, as swarmkit's (<c>24ifsmvkjbyhk8q3nyqsxd3o9</c>); the CN of its certificate.</summary>
public readonly record struct NodeId
{
    public NodeId(string value) => Value = RandomId.Require(value, "node id");

    public string Value { get; }

    public static NodeId New() => new(RandomId.New());

    public static bool TryParse(string? value, out NodeId id)
    {
        id = RandomId.IsValid(value) ? new NodeId(value!) : default;
        return id.Value is not null;
    }

    public override string ToString() => Value;
}
