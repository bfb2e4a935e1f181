using System.Collections.Immutable;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>A named set: <c>set allowed { type ipv4_addr . inet_service; flags interval; }</c> and its elements.</summary>
public sealed record NftSet
{
    public NftSet(string name, NftType keyType, NftSetFlags flags = NftSetFlags.None, ImmutableArray<NftValue> elements = default)
    {
        Name = NftText.Identifier(name, "set name");
        ArgumentNullException.ThrowIfNull(keyType);
        if (keyType.Parts.Contains(NftBasicType.Verdict))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"set \"{name}\" cannot have key type verdict; verdicts are map data (a verdict map)");
        }

        KeyType = keyType;
        Flags = flags;
        Elements = elements.IsDefault ? [] : elements;
    }

    public string Name { get; }

    public NftType KeyType { get; }

    public NftSetFlags Flags { get; }

    public ImmutableArray<NftValue> Elements { get; }

    public bool Equals(NftSet? other) =>
        other is not null && Name == other.Name && KeyType.Equals(other.KeyType) && Flags == other.Flags && Elements.SequenceEqual(other.Elements);

    public override int GetHashCode() => HashCode.Combine(Name, KeyType, Flags, Elements.Length);

    /// <summary>The declaration block: <c>{ type ipv4_addr; flags interval; }</c>.</summary>
    internal static void RenderBody(StringBuilder sb, NftType keyType, NftType? dataType, NftSetFlags flags)
    {
        sb.Append("{ type ").Append(keyType.Render());
        if (dataType is not null)
        {
            sb.Append(" : ").Append(dataType.Render());
        }

        sb.Append(';');
        var names = new List<string>();
        if (flags.HasFlag(NftSetFlags.Constant))
        {
            names.Add("constant");
        }

        if (flags.HasFlag(NftSetFlags.Interval))
        {
            names.Add("interval");
        }

        if (flags.HasFlag(NftSetFlags.Timeout))
        {
            names.Add("timeout");
        }

        if (names.Count > 0)
        {
            sb.Append(" flags ").Append(string.Join(',', names)).Append(';');
        }

        sb.Append(" }");
    }
}
