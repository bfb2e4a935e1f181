using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Berth.Api.Contracts;
using Berth.Core.Ports;
using Berth.Runtime.Engine;

namespace Berth.Api.Containers;

/// <summary>Ports between Docker's API shapes and Berth's: create's <c>PortBindings</c>/<c>ExposedPorts</c>, inspect's and ps's views.</summary>
internal static class ContainerPortView
{
    /// <summary><c>HostConfig.PortBindings</c> of a create request; any bad entry is a 400 naming it.</summary>
    public static ImmutableArray<PortBinding> Bindings(Dictionary<string, List<PortBindingContract>?>? bindings)
    {
        var result = ImmutableArray.CreateBuilder<PortBinding>();
        foreach (var (key, hosts) in bindings ?? [])
        {
            var port = ContainerPort.Parse(key, "PortBindings");
            if (hosts is null or { Count: 0 })
            {
                result.Add(new PortBinding(port, null, 0, 0));
                continue;
            }

            result.AddRange(hosts.Select(h => PortBinding.Parse(port, h?.HostIp, h?.HostPort)));
        }

        return result.ToImmutable();
    }

    /// <summary><c>Config.ExposedPorts</c> of a create request.</summary>
    public static ImmutableArray<ContainerPort> Exposed(Dictionary<string, EmptyObjectContract>? exposed) =>
        [.. (exposed ?? []).Keys.Select(k => ContainerPort.Parse(k, "ExposedPorts"))];

    /// <summary>Inspect's <c>HostConfig.PortBindings</c>: the request as it was made.</summary>
    public static Dictionary<string, List<PortBindingContract>?> BindingsContract(ImmutableArray<PortBinding> bindings) =>
        bindings.GroupBy(b => b.Port).ToDictionary(
            g => g.Key.ToString(),
            g => (List<PortBindingContract>?)[.. g.Select(b => new PortBindingContract
            {
                HostIp = b.HostIp?.ToString() ?? "",
                HostPort = b.AnyHostPort ? "" : b.HostPortStart == b.HostPortEnd ? Text(b.HostPortStart) : $"{Text(b.HostPortStart)}-{Text(b.HostPortEnd)}",
            })]);

    /// <summary>Inspect's <c>Config.ExposedPorts</c>; null when there is none (Docker leaves it out).</summary>
    public static Dictionary<string, EmptyObjectContract>? ExposedContract(ImmutableArray<ContainerPort> exposed) =>
        exposed.IsEmpty ? null : exposed.ToDictionary(p => p.ToString(), _ => new EmptyObjectContract());

    /// <summary>
    /// Inspect's <c>NetworkSettings.Ports</c> (what <c>docker port</c> reads): while running, every exposed port with
    /// its host bindings, or null when it is not published; empty when not running.
    /// </summary>
    public static Dictionary<string, List<PortBindingContract>?> Settings(ContainerRecord record, ImmutableArray<ContainerPort> exposed)
    {
        var result = new Dictionary<string, List<PortBindingContract>?>();
        if (record.Status != ContainerStatus.Running)
        {
            return result;
        }

        foreach (var port in exposed)
        {
            var published = record.Ports.Where(p => p.Port == port).ToList();
            result[port.ToString()] = published.Count == 0 ? null : [.. published.Select(p => new PortBindingContract { HostIp = p.HostIp.ToString(), HostPort = Text(p.HostPort) })];
        }

        return result;
    }

    /// <summary><c>docker ps</c>'s ports: each published mapping, then exposed ports that are not published.</summary>
    public static List<ContainerPortSummary> Summary(ContainerRecord record, ImmutableArray<ContainerPort> exposed)
    {
        if (record.Status != ContainerStatus.Running)
        {
            return [];
        }

        var list = record.Ports.Select(p => new ContainerPortSummary { IP = p.HostIp.ToString(), PrivatePort = p.Port.Number, PublicPort = p.HostPort, Type = p.Port.ProtocolName }).ToList();
        var published = record.Ports.Select(p => p.Port).ToHashSet();
        list.AddRange(exposed.Where(p => !published.Contains(p)).Select(p => new ContainerPortSummary { PrivatePort = p.Number, Type = p.ProtocolName }));
        return list;
    }

    private static string Text(ushort port) => port.ToString(CultureInfo.InvariantCulture);

    private static string Text(IPAddress address) => address.ToString();
}
