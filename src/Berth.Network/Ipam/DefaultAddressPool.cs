using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Berth.Core.Errors;

namespace Berth.Network.Ipam;

/// <summary>
/// A range networks get their subnets from when they ask for none: <see cref="Base"/> cut into
/// subnets of prefix length <see cref="Size"/> (the daemon flag
/// <c>--default-address-pool base=172.80.0.0/16,size=24</c>). IPv4 and IPv6 bases are both allowed.
/// </summary>
public sealed record DefaultAddressPool
{
    private const string BaseKey = "base";
    private const string SizeKey = "size";

    public DefaultAddressPool(IPNetwork @base, int size)
    {
        int bits = IPNetworkMath.Bits(@base);
        if (size < @base.PrefixLength || size > bits)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"default address pool {@base}: size {size} is out of range; use {@base.PrefixLength} to {bits}");
        }

        Base = @base;
        Size = size;
    }

    public IPNetwork Base { get; }

    /// <summary>Prefix length of each subnet cut from <see cref="Base"/>.</summary>
    public int Size { get; }

    public bool IsIPv4 => IPNetworkMath.IsIPv4(Base);

    /// <summary>
    /// Docker's built-in pools (moby <c>ipamutils.localScopeDefaultNetworks</c>): 172.17.0.0/16 to
    /// 172.31.0.0/16, one /16 each, then 192.168.0.0/16 cut into /20s. No IPv6 pools.
    /// </summary>
    public static ImmutableArray<DefaultAddressPool> DockerDefaults { get; } = BuildDockerDefaults();

    /// <summary>Parses <c>base=CIDR,size=N</c> (keys in any order, case-insensitive). Every problem is reported at once.</summary>
    public static DefaultAddressPool Parse(string text)
    {
        var problems = new List<string>();
        string? baseText = null;
        string? sizeText = null;
        foreach (string field in (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = field.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? field : field[..eq].Trim();
            string value = eq < 0 ? string.Empty : field[(eq + 1)..].Trim();
            if (eq < 0)
            {
                problems.Add($"field \"{field}\" has no value; write {key}=…");
            }
            else if (key.Equals(BaseKey, StringComparison.OrdinalIgnoreCase))
            {
                baseText = value;
            }
            else if (key.Equals(SizeKey, StringComparison.OrdinalIgnoreCase))
            {
                sizeText = value;
            }
            else
            {
                problems.Add($"unknown key \"{key}\"; only base and size are allowed");
            }
        }

        IPNetwork? @base = null;
        if (baseText is null)
        {
            problems.Add("missing base (e.g. base=172.80.0.0/16)");
        }
        else if (!IPNetworkMath.TryParseCidr(baseText, out var parsed, out bool hostBitsSet))
        {
            problems.Add($"base \"{baseText}\" is not a CIDR block (e.g. 172.80.0.0/16)");
        }
        else if (hostBitsSet)
        {
            problems.Add($"base {baseText} has host bits set; it should be {parsed}");
        }
        else
        {
            @base = parsed;
        }

        int? size = null;
        if (sizeText is null)
        {
            problems.Add("missing size (e.g. size=24)");
        }
        else if (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out int parsedSize))
        {
            problems.Add($"size \"{sizeText}\" is not a prefix length (e.g. size=24)");
        }
        else
        {
            size = parsedSize;
        }

        if (@base is { } b && size is { } s && (s < b.PrefixLength || s > IPNetworkMath.Bits(b)))
        {
            problems.Add($"size {s} is out of range for base {b}; use {b.PrefixLength} to {IPNetworkMath.Bits(b)}");
        }

        if (problems.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"invalid --default-address-pool \"{text}\": {string.Join("; ", problems)}");
        }

        return new DefaultAddressPool(@base!.Value, size!.Value);
    }

    public override string ToString() => $"{BaseKey}={Base},{SizeKey}={Size}";

    private static ImmutableArray<DefaultAddressPool> BuildDockerDefaults()
    {
        const int FirstSecondOctet = 17; // 172.17.0.0/16: docker0's historical subnet
        const int LastSecondOctet = 31;  // 172.16.0.0/12 ends at 172.31.255.255 (RFC 1918)
        const int PrivateSixteenSize = 16;
        const int Rfc1918ClassCSize = 20;
        var pools = ImmutableArray.CreateBuilder<DefaultAddressPool>();
        for (int octet = FirstSecondOctet; octet <= LastSecondOctet; octet++)
        {
            pools.Add(new DefaultAddressPool(new IPNetwork(new IPAddress([172, (byte)octet, 0, 0]), PrivateSixteenSize), PrivateSixteenSize));
        }

        pools.Add(new DefaultAddressPool(new IPNetwork(new IPAddress([192, 168, 0, 0]), PrivateSixteenSize), Rfc1918ClassCSize));
        return pools.ToImmutable();
    }
}
