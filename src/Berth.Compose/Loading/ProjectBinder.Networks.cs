using System.Collections.Immutable;
using System.Net;
using Berth.Compose.Model;
using Berth.Core.Addressing;

namespace Berth.Compose.Loading;

internal sealed partial class ProjectBinder
{
    /// <summary>Keys that may stand beside <c>external: true</c>: the rest describe a network the project would make.</summary>
    private static readonly string[] ExternalCompanions = ["external", "name"];

    private ComposeNetwork? BindNetwork(string key, ComposeNode node, string path)
    {
        var map = Mapping(node, path);
        if (map is null)
        {
            return null;
        }

        CheckKeys(map, path, ComposeKeys.Network);
        var network = new ComposeNetwork { Key = key, Name = "" };
        string? name = null;
        string? externalName = null;
        foreach (var entry in map.Entries)
        {
            var value = entry.Value;
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "driver":
                    network = network with { Driver = String(value, at) };
                    break;
                case "driver_opts":
                    network = network with { DriverOpts = StringMap(value, at, _ => "") };
                    break;
                case "ipam":
                    network = network with { Ipam = Ipam(value, at) };
                    break;
                case "external":
                    (var external, externalName) = External(value, at);
                    network = network with { External = external };
                    break;
                case "name":
                    name = String(value, at);
                    break;
                case "internal":
                    network = network with { Internal = Bool(value, at) };
                    break;
                case "attachable":
                    network = network with { Attachable = Bool(value, at) };
                    break;
                case "enable_ipv6":
                    network = network with { EnableIPv6 = Bool(value, at) };
                    break;
                case "labels":
                    network = network with { Labels = StringMap(value, at, _ => "", '=') };
                    break;
            }
        }

        if (network.External)
        {
            foreach (var entry in map.Entries.Where(e => !ExternalCompanions.Contains(e.Key.Value) && !e.Key.Value.StartsWith("x-", StringComparison.Ordinal)))
            {
                problems.Add(entry.Key, path,
                    $"\"{entry.Key.Value}\" cannot be set on an external network (it is made elsewhere); remove it, or drop external: to let the project make the network");
            }
        }

        if (name is not null && externalName is not null && name != externalName)
        {
            problems.Add(map["name"]!, Join(path, "name"), $"\"{name}\" differs from external.name \"{externalName}\"; keep one of them");
        }

        var dockerName = name ?? externalName ?? (network.External ? key : $"{context.ProjectName}_{key}");
        return network with { Name = dockerName };
    }

    /// <summary><c>external: true</c>, or the legacy <c>external: {name: x}</c> (external, named x).</summary>
    private (bool External, string? Name) External(ComposeNode node, string path)
    {
        if (node is MappingNode map)
        {
            CheckKeys(map, path, ComposeKeys.ExternalLegacy);
            return (true, map["name"] is { } n ? String(n, Join(path, "name")) : null);
        }

        return (Bool(node, path), null);
    }

    private ComposeIpam? Ipam(ComposeNode node, string path)
    {
        var map = Mapping(node, path);
        if (map is null)
        {
            return null;
        }

        CheckKeys(map, path, ComposeKeys.Ipam);
        var ipam = new ComposeIpam { Driver = map["driver"] is { } d ? String(d, Join(path, "driver")) : null };
        if (map["config"] is not { } configNode)
        {
            return ipam;
        }

        var at = Join(path, "config");
        if (configNode is not SequenceNode sequence)
        {
            if (configNode is not ScalarNode { IsNull: true })
            {
                problems.Add(configNode, at, $"must be a list of pools (- subnet: …), not {Describe(configNode)}");
            }

            return ipam;
        }

        var pools = ImmutableArray.CreateBuilder<ComposeIpamPool>();
        for (var i = 0; i < sequence.Items.Length; i++)
        {
            if (Pool(sequence.Items[i], $"{at}[{i}]") is { } pool)
            {
                pools.Add(pool);
            }
        }

        return ipam with { Config = pools.ToImmutable() };
    }

    private ComposeIpamPool? Pool(ComposeNode node, string path)
    {
        var map = Mapping(node, path);
        if (map is null)
        {
            return null;
        }

        CheckKeys(map, path, ComposeKeys.IpamPool);
        var pool = new ComposeIpamPool();
        IPNetwork? subnet = null;
        if (map["subnet"] is { } subnetNode && String(subnetNode, Join(path, "subnet")) is { } subnetText)
        {
            if (IPPrefix.TryParse(subnetText, out var prefix))
            {
                subnet = prefix.Network;
                pool = pool with { Subnet = subnetText };
            }
            else
            {
                problems.Add(subnetNode, Join(path, "subnet"), $"\"{subnetText}\" is not a subnet in CIDR form (like 172.30.0.0/16)");
            }
        }

        if (map["ip_range"] is { } rangeNode && String(rangeNode, Join(path, "ip_range")) is { } rangeText)
        {
            if (!IPPrefix.TryParse(rangeText, out var range))
            {
                problems.Add(rangeNode, Join(path, "ip_range"), $"\"{rangeText}\" is not a range in CIDR form (like 172.30.5.0/24)");
            }
            else if (subnet is { } s && (!s.Contains(range.Network.BaseAddress) || range.PrefixLength < s.PrefixLength))
            {
                problems.Add(rangeNode, Join(path, "ip_range"), $"{rangeText} is not inside the subnet {s}; pick a range inside it");
            }
            else
            {
                pool = pool with { IpRange = rangeText };
            }
        }

        if (map["gateway"] is { } gatewayNode && String(gatewayNode, Join(path, "gateway")) is { } gateway)
        {
            pool = pool with { Gateway = PoolAddress(gateway, subnet, gatewayNode, Join(path, "gateway")) };
        }

        if (map["aux_addresses"] is { } auxNode)
        {
            var aux = StringMap(auxNode, Join(path, "aux_addresses"), _ => null, '=');
            foreach (var (host, address) in aux)
            {
                PoolAddress(address, subnet, auxNode, Join(path, "aux_addresses." + host));
            }

            pool = pool with { AuxAddresses = aux };
        }

        if (pool.Subnet is null && (pool.IpRange ?? pool.Gateway) is not null && map["subnet"] is null)
        {
            problems.Add(map, path, "ip_range, gateway and aux_addresses need a subnet: in the same entry");
        }

        return pool;
    }

    private string? PoolAddress(string text, IPNetwork? subnet, ComposeNode node, string path)
    {
        if (!IPAddress.TryParse(text, out var address) || text.Contains('/'))
        {
            problems.Add(node, path, $"\"{text}\" is not an IP address");
            return null;
        }

        if (subnet is { } s && !s.Contains(address))
        {
            problems.Add(node, path, $"{text} is not inside the subnet {s}; pick an address inside it");
            return null;
        }

        return text;
    }

    private ComposeVolume? BindVolume(string key, ComposeNode node, string path)
    {
        var map = Mapping(node, path);
        if (map is null)
        {
            return null;
        }

        CheckKeys(map, path, ComposeKeys.TopLevelVolume);
        var volume = new ComposeVolume { Key = key, Name = "" };
        string? name = null;
        string? externalName = null;
        foreach (var entry in map.Entries)
        {
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "driver":
                    volume = volume with { Driver = String(entry.Value, at) };
                    break;
                case "external":
                    (var external, externalName) = External(entry.Value, at);
                    volume = volume with { External = external };
                    break;
                case "name":
                    name = String(entry.Value, at);
                    break;
                case "labels":
                    volume = volume with { Labels = StringMap(entry.Value, at, _ => "", '=') };
                    break;
            }
        }

        return volume with { Name = name ?? externalName ?? (volume.External ? key : $"{context.ProjectName}_{key}") };
    }
}
