namespace Berth.Linux.Links;

/// <summary>A link named either by its name or by its index in one namespace.</summary>
public readonly record struct LinkRef
{
    private LinkRef(string? name, int index)
    {
        Name = name;
        Index = index;
    }

    public string? Name { get; }

    /// <summary>The ifindex, or 0 when the link is named by <see cref="Name"/>.</summary>
    public int Index { get; }

    public static LinkRef ByName(string name) => new(LinkName.Validate(name), 0);

    public static LinkRef ByIndex(int index) =>
        index > 0 ? new(null, index) : throw new ArgumentOutOfRangeException(nameof(index), index, "an ifindex is positive");

    public static implicit operator LinkRef(string name) => ByName(name);

    public static implicit operator LinkRef(int index) => ByIndex(index);

    public override string ToString() => Name is not null ? $"\"{Name}\"" : $"#{Index}";
}
