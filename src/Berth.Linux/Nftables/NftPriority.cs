using System.Globalization;

namespace Berth.Linux.Nftables;

/// <summary>A base chain priority: a number (<c>-100</c>) or a name with an optional offset (<c>dstnat</c>, <c>filter + 10</c>).</summary>
public readonly record struct NftPriority
{
    private NftPriority(NftPriorityName? name, int value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The named base, or null for a plain number.</summary>
    public NftPriorityName? Name { get; }

    /// <summary>The number, or the offset from <see cref="Name"/>.</summary>
    public int Value { get; }

    public static NftPriority Number(int value) => new(null, value);

    public static NftPriority Named(NftPriorityName name, int offset = 0) => new(name, offset);

    public static NftPriority Filter => Named(NftPriorityName.Filter);

    public static NftPriority Dstnat => Named(NftPriorityName.Dstnat);

    public static NftPriority Srcnat => Named(NftPriorityName.Srcnat);

    public string Render()
    {
        if (Name is not { } name)
        {
            return Value.ToString(CultureInfo.InvariantCulture);
        }

        string text = name switch
        {
            NftPriorityName.Raw => "raw",
            NftPriorityName.Mangle => "mangle",
            NftPriorityName.Dstnat => "dstnat",
            NftPriorityName.Filter => "filter",
            NftPriorityName.Security => "security",
            _ => "srcnat",
        };
        return Value switch
        {
            0 => text,
            > 0 => $"{text} + {Value.ToString(CultureInfo.InvariantCulture)}",
            _ => $"{text} - {(-(long)Value).ToString(CultureInfo.InvariantCulture)}",
        };
    }
}
