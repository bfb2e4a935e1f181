namespace Berth.Cluster.Identity;

/// <summary>A task's id: 25 lowercase base 36 characters, as swarmkit's.</summary>
public readonly record struct TaskId
{
    public TaskId(string value) => Value = RandomId.Require(value, "task id");

    public string Value { get; }

    public static TaskId New() => new(RandomId.New());

    public static bool TryParse(string? value, out TaskId id)
    {
        id = RandomId.IsValid(value) ? new TaskId(value!) : default;
        return id.Value is not null;
    }

    public override string ToString() => Value;
}
