using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// A named map from key to data: <c>map portmap { type inet_service : ipv4_addr . inet_service; }</c>. With data
/// type <see cref="NftType.Verdict"/> it is a verdict map (<see cref="Verdicts"/>).
/// </summary>
public sealed record NftMap
{
    public NftMap(string name, NftType keyType, NftType dataType, NftSetFlags flags = NftSetFlags.None, ImmutableArray<NftElement> elements = default)
    {
        Name = NftText.Identifier(name, "map name");
        ArgumentNullException.ThrowIfNull(keyType);
        ArgumentNullException.ThrowIfNull(dataType);
        if (keyType.Parts.Contains(NftBasicType.Verdict))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"map \"{name}\" cannot have key type verdict; use it as the data type");
        }

        elements = elements.IsDefault ? [] : elements;
        foreach (var element in elements)
        {
            if (element.Data is null)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"element \"{element.Render()}\" of map \"{name}\" has no data; a map element needs key : data");
            }

            if ((element.Data is NftVerdict) != dataType.IsVerdict)
            {
                throw new BerthException(ErrorKind.InvalidArgument,
                    $"element \"{element.Render()}\" of map \"{name}\" does not fit data type {dataType.Render()}");
            }
        }

        KeyType = keyType;
        DataType = dataType;
        Flags = flags;
        Elements = elements;
    }

    public string Name { get; }

    public NftType KeyType { get; }

    public NftType DataType { get; }

    public NftSetFlags Flags { get; }

    public ImmutableArray<NftElement> Elements { get; }

    public bool IsVerdictMap => DataType.IsVerdict;

    /// <summary>A verdict map, e.g. <c>type ifname : verdict</c> with elements like <c>"br-abc" : jump fwd_abc</c>.</summary>
    public static NftMap Verdicts(string name, NftType keyType, ImmutableArray<NftElement> elements = default) =>
        new(name, keyType, NftType.Verdict, NftSetFlags.None, elements);

    public bool Equals(NftMap? other) =>
        other is not null && Name == other.Name && KeyType.Equals(other.KeyType) && DataType.Equals(other.DataType)
        && Flags == other.Flags && Elements.SequenceEqual(other.Elements);

    public override int GetHashCode() => HashCode.Combine(Name, KeyType, DataType, Flags, Elements.Length);
}
