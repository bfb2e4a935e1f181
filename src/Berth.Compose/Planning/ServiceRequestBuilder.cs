using System.Collections.Immutable;
using System.Globalization;
using Berth.Api.Contracts;
using Berth.Compose.Model;

namespace Berth.Compose.Planning;

/// <summary>
/// A service's <c>POST /containers/create</c> body, field by field as docker-compose 1.29 fills it (docs/docker-api.md §4):
/// the image, command, environment, labels, healthcheck, exposed ports, and in HostConfig the network mode (the first
/// network's Docker name), port bindings, restart policy, DNS, extra hosts and binds; NetworkingConfig holds the first
/// network only, with the service name and its aliases.
/// </summary>
internal static class ServiceRequestBuilder
{
    private const long NanosecondsPerTick = 100;

    /// <summary>The first network's endpoint (its Docker name), or null with <c>network_mode</c>.</summary>
    internal sealed record FirstNetwork(string Name, ServiceNetwork Attachment);

    public static ContainerCreateRequest Build(ComposeService service, ImmutableSortedDictionary<string, string> baseLabels, FirstNetwork? first, RestartPolicyValue restart, Func<string, string> volumeName)
    {
        var exposed = ExposedPorts(service);
        return new ContainerCreateRequest
        {
            Image = service.Image,
            Cmd = service.Command is { } command ? [.. command] : null,
            Entrypoint = service.Entrypoint is { } entrypoint ? [.. entrypoint] : null,
            Env = service.Environment.IsEmpty ? null : [.. service.Environment.Select(e => e.Key + "=" + e.Value)],
            Hostname = service.Hostname,
            Labels = new Dictionary<string, string>(baseLabels),
            ExposedPorts = exposed.Count == 0 ? null : exposed.ToDictionary(p => p, _ => new EmptyObjectContract(), StringComparer.Ordinal),
            Healthcheck = Healthcheck(service.Healthcheck),
            Volumes = AnonymousVolumes(service),
            HostConfig = new ContainerHostConfig
            {
                NetworkMode = service.NetworkMode switch
                {
                    null => first?.Name,
                    var mode when mode.StartsWith("service:", StringComparison.Ordinal) => null, // set per container: container:<id>
                    var mode => mode,
                },
                PortBindings = PortBindings(service),
                RestartPolicy = new ContainerRestartPolicy { Name = restart.Name, MaximumRetryCount = restart.MaximumRetryCount },
                Dns = service.Dns.IsEmpty ? null : [.. service.Dns],
                ExtraHosts = service.ExtraHosts.IsEmpty ? null : [.. service.ExtraHosts],
                Binds = Binds(service, volumeName),
                Sysctls = service.Sysctls.IsEmpty ? null : new Dictionary<string, string>(service.Sysctls, StringComparer.Ordinal),
            },
            NetworkingConfig = first is null ? null : new ContainerNetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings?>(StringComparer.Ordinal)
                {
                    [first.Name] = new EndpointSettings
                    {
                        Aliases = [service.Name, .. first.Attachment.Aliases.Where(a => a != service.Name)],
                        IPAMConfig = first.Attachment.Ipv4Address is null && first.Attachment.Ipv6Address is null
                            ? null
                            : new EndpointIpamConfig { IPv4Address = first.Attachment.Ipv4Address, IPv6Address = first.Attachment.Ipv6Address },
                        MacAddress = first.Attachment.MacAddress,
                    },
                },
            },
        };
    }

    /// <summary>
    /// <c>/host:/ctr[:ro]</c> for a bind mount, <c>VOLUME:/ctr[:ro]</c> (the volume's Docker name) for a named volume;
    /// anonymous volumes are in <see cref="AnonymousVolumes"/>. The planner has refused every other type.
    /// </summary>
    private static List<string>? Binds(ComposeService service, Func<string, string> volumeName)
    {
        var binds = service.Volumes.Where(v => v.Source.Length > 0)
            .Select(v => (v.Type == "volume" ? volumeName(v.Source) : v.Source) + ":" + v.Target + (v.ReadOnly ? ":ro" : ""))
            .ToList();
        return binds.Count == 0 ? null : binds;
    }

    /// <summary><c>Config.Volumes</c>: the targets of volume entries without a source, each an anonymous volume made by the daemon.</summary>
    private static Dictionary<string, EmptyObjectContract>? AnonymousVolumes(ComposeService service)
    {
        var targets = service.Volumes.Where(v => v.Type == "volume" && v.Source.Length == 0).Select(v => v.Target).ToList();
        return targets.Count == 0 ? null : targets.ToDictionary(t => t, _ => new EmptyObjectContract(), StringComparer.Ordinal);
    }

    private static List<string> ExposedPorts(ComposeService service)
    {
        var ports = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var port in service.Ports)
        {
            ports.Add(port.Target.ToString(CultureInfo.InvariantCulture) + "/" + port.Protocol);
        }

        foreach (var expose in service.Expose)
        {
            ports.Add(expose.Contains('/', StringComparison.Ordinal) ? expose : expose + "/tcp");
        }

        return [.. ports];
    }

    private static Dictionary<string, List<PortBindingContract>?>? PortBindings(ComposeService service)
    {
        if (service.Ports.IsEmpty)
        {
            return null;
        }

        var bindings = new SortedDictionary<string, List<PortBindingContract>?>(StringComparer.Ordinal);
        foreach (var port in service.Ports)
        {
            var key = port.Target.ToString(CultureInfo.InvariantCulture) + "/" + port.Protocol;
            if (!bindings.TryGetValue(key, out var list) || list is null)
            {
                bindings[key] = list = [];
            }

            list.Add(new PortBindingContract { HostIp = port.HostIp ?? "", HostPort = port.Published ?? "" });
        }

        return new Dictionary<string, List<PortBindingContract>?>(bindings, StringComparer.Ordinal);
    }

    private static HealthcheckConfig? Healthcheck(ComposeHealthcheck? healthcheck)
    {
        if (healthcheck is null)
        {
            return null;
        }

        if (healthcheck.Disable)
        {
            return new HealthcheckConfig { Test = ["NONE"] };
        }

        return new HealthcheckConfig
        {
            Test = healthcheck.Test.IsEmpty ? null : [.. healthcheck.Test],
            Interval = Nanoseconds(healthcheck.Interval),
            Timeout = Nanoseconds(healthcheck.Timeout),
            StartPeriod = Nanoseconds(healthcheck.StartPeriod),
            Retries = healthcheck.Retries ?? 0,
        };
    }

    private static long Nanoseconds(TimeSpan? value) => (value?.Ticks ?? 0) * NanosecondsPerTick;
}
