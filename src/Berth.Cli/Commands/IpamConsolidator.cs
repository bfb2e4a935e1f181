using System.Net;
using Berth.Api.Contracts;

namespace Berth.Cli.Commands;

/// <summary>
/// docker's <c>createIPAMConfig</c>: pairs <c>--subnet</c>, <c>--ip-range</c>, <c>--gateway</c> and <c>--aux-address</c> by
/// containment (each range, gateway and aux address goes to the subnet that contains it), with docker's error wording.
/// </summary>
public static class IpamConsolidator
{
    public static List<IpamConfig> Consolidate(
        IReadOnlyList<string> subnets, IReadOnlyList<string> ranges, IReadOnlyList<string> gateways, IReadOnlyList<KeyValuePair<string, string>> auxAddresses)
    {
        if (subnets.Count < ranges.Count || subnets.Count < gateways.Count)
        {
            throw new ArgumentException("every ip-range or gateway must have a corresponding subnet");
        }

        var configs = new List<IpamConfig>();
        var parsed = new List<IPNetwork>();
        foreach (var subnet in subnets)
        {
            var network = ParseSubnet(subnet);
            if (parsed.Any(p => p.Contains(network.BaseAddress) || network.Contains(p.BaseAddress)))
            {
                throw new ArgumentException("multiple overlapping subnet configuration is not supported");
            }

            parsed.Add(network);
            configs.Add(new IpamConfig { Subnet = subnet });
        }

        foreach (var range in ranges)
        {
            Assign(configs, parsed, range, $"no matching subnet for range {range}", config =>
            {
                if (config.IPRange is not null)
                {
                    throw new ArgumentException($"cannot configure multiple ranges ({range}, {config.IPRange}) on the same subnet ({config.Subnet})");
                }

                config.IPRange = range;
            });
        }

        foreach (var gateway in gateways)
        {
            Assign(configs, parsed, gateway, $"no matching subnet for gateway {gateway}", config =>
            {
                if (config.Gateway is not null)
                {
                    throw new ArgumentException($"cannot configure multiple gateways ({gateway}, {config.Gateway}) for the same subnet ({config.Subnet})");
                }

                config.Gateway = gateway;
            });
        }

        foreach (var (name, address) in auxAddresses)
        {
            Assign(configs, parsed, address, $"no matching subnet for aux-address {address}", config =>
                (config.AuxiliaryAddresses ??= [])[name] = address);
        }

        return configs;
    }

    private static void Assign(List<IpamConfig> configs, List<IPNetwork> subnets, string value, string noMatch, Action<IpamConfig> assign)
    {
        var address = value.Contains('/', StringComparison.Ordinal) ? ParseSubnet(value).BaseAddress : ParseAddress(value);
        var matched = false;
        for (var i = 0; i < subnets.Count; i++)
        {
            if (subnets[i].Contains(address))
            {
                assign(configs[i]);
                matched = true;
            }
        }

        if (!matched)
        {
            throw new ArgumentException(noMatch);
        }
    }

    private static IPNetwork ParseSubnet(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var address)
            || !int.TryParse(cidr.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
            || length > (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
        {
            throw new ArgumentException($"invalid CIDR address: {cidr}");
        }

        // Masks the host bits, as Go's net.ParseCIDR does, so 10.1.2.3/16 means 10.1.0.0/16.
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), length);
    }

    private static IPAddress ParseAddress(string text) =>
        IPAddress.TryParse(text, out var address) ? address : throw new ArgumentException($"invalid IP address: {text}");
}
