namespace Berth.Cluster.Identity;

/// <summary>A swarm secret's or config's id: 25 lowercase base 36 characters, as swarmkit's.</summary>
public readonly record struct SecretId
{
    public SecretId(string value) => Value = RandomId.Require(value, "secret id");

    public string Value { get; }

    public static SecretId New() => new(RandomId.New());

    public static bool TryParse(string? value, out SecretId id)
    {
        id = RandomId.IsValid(value) ? new SecretId(value!) : default;
        return id.Value is not null;
    }

    public override string ToString() => Value;
}
