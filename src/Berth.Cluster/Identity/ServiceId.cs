namespace Berth.Cluster.Identity;

/// <summary>A service's id: 25 lowercase base 36 characters, as swarmkit's.</summary>
public readonly record struct ServiceId
{
    public ServiceId(string value) => Value = RandomId.Require(value, "service id");

    public string Value { get; }

    public static ServiceId New() => new(RandomId.New());

    public static bool TryParse(string? value, out ServiceId id)
    {
        id = RandomId.IsValid(value) ? new ServiceId(value!) : default;
        return id.Value is not null;
    }

    public override string ToString() => Value;
}
