namespace Berth.Cluster.Identity;

/// <summary>A cluster's id: 25 lowercase base 36 characters, as swarmkit's; the O (organisation) of every certificate the cluster's CA issues.</summary>
public readonly record struct ClusterId
{
    public ClusterId(string value) => Value = RandomId.Require(value, "cluster id");

    public string Value { get; }

    public static ClusterId New() => new(RandomId.New());

    public static bool TryParse(string? value, out ClusterId id)
    {
        id = RandomId.IsValid(value) ? new ClusterId(value!) : default;
        return id.Value is not null;
    }

    public override string ToString() => Value;
}
