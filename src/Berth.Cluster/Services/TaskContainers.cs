using System.Collections.Immutable;
using Berth.Cluster.Identity;
using Berth.Core.Ports;
using Berth.Runtime.Engine;

namespace Berth.Cluster.Services;

/// <summary>
/// How a task becomes a container, pure: Docker's name (<c>web.1.&lt;task id&gt;</c>, <c>web.&lt;node id&gt;.&lt;task id&gt;</c>
/// for a global task), its <c>com.docker.swarm.*</c> labels, and the create spec from the task's container spec.
/// The container never restarts by itself: the orchestrator decides (a new task in the same slot).
/// </summary>
public static class TaskContainers
{
    public const string TaskLabel = "com.docker.swarm.task";
    public const string TaskIdLabel = "com.docker.swarm.task.id";
    public const string TaskNameLabel = "com.docker.swarm.task.name";
    public const string NodeIdLabel = "com.docker.swarm.node.id";
    public const string ServiceIdLabel = "com.docker.swarm.service.id";
    public const string ServiceNameLabel = "com.docker.swarm.service.name";

    /// <summary>The task's name without its id (<c>web.1</c>; <c>web.&lt;node id&gt;</c> for a global task).</summary>
    public static string TaskName(TaskRecord task, string serviceName) =>
        task.Slot > 0 ? $"{serviceName}.{task.Slot}" : $"{serviceName}.{task.Node?.Value}";

    public static string ContainerName(TaskRecord task, string serviceName) => $"{TaskName(task, serviceName)}.{task.Id.Value}";

    /// <summary>The task id a container runs, from its labels; null for a container that is no task's.</summary>
    public static TaskId? TaskOf(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(TaskIdLabel, out var value) && TaskId.TryParse(value, out var id) ? id : null;

    /// <summary>
    /// The container for <paramref name="task"/>; <paramref name="ports"/> are the service's published ports, of which
    /// the host-mode ones are published on this node straight to the task (ingress ones go through the routing mesh).
    /// With <paramref name="ingressNetwork"/> (the swarm's <c>ingress</c> network id) and an ingress port, the task also
    /// joins that network, last, as a backend of its service: the routing mesh's DNAT on every node picks among those
    /// endpoints. A task on no network of its own is on ingress only (its way out is the gateway bridge), as Docker's.
    /// With <paramref name="template"/>, Docker's templates in the hostname, environment and mounts are expanded.
    /// </summary>
    public static ContainerCreateSpec CreateSpec(TaskRecord task, string serviceName, NodeId node, IEnumerable<ServicePort>? ports = null, string? ingressNetwork = null,
        TaskTemplate? template = null)
    {
        var published = (ports ?? []).ToList();
        var hostPorts = published.Where(port => port.Mode == PublishMode.Host && port.Protocol != PortProtocol.Sctp).ToList();
        // Made out of rotation: the agent puts them in once the container runs (and, with a healthcheck, is healthy).
        var endpoints = task.Spec.Networks.Select(network => new EndpointSpec(network.Target) { Aliases = network.Aliases, ServiceId = task.ServiceId.Value, OutOfRotation = true }).ToList();
        if (ingressNetwork is not null && published.Any(port => port.Mode == PublishMode.Ingress) && endpoints.All(e => e.Network != ingressNetwork))
        {
            endpoints.Add(new EndpointSpec(ingressNetwork) { ServiceId = task.ServiceId.Value, OutOfRotation = true });
        }

        var container = task.Spec.Container;
        Func<string, string> expand = template is null ? text => text : template.Expand;
        var labels = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        labels.AddRange(container.Labels);
        labels[TaskLabel] = "";
        labels[TaskIdLabel] = task.Id.Value;
        labels[TaskNameLabel] = ContainerName(task, serviceName);
        labels[NodeIdLabel] = node.Value;
        labels[ServiceIdLabel] = task.ServiceId.Value;
        labels[ServiceNameLabel] = serviceName;

        return new ContainerCreateSpec
        {
            Image = container.Image,
            Entrypoint = container.Command,
            Cmd = container.Args,
            Env = [.. container.Env.Select(expand)],
            WorkingDir = container.Dir,
            User = container.User,
            Hostname = container.Hostname is { } hostname ? expand(hostname) : null,
            Tty = container.Tty,
            OpenStdin = container.OpenStdin,
            ReadonlyRootfs = container.ReadOnly,
            Sysctls = container.Sysctls.ToImmutableSortedDictionary(StringComparer.Ordinal),
            Labels = labels.ToImmutable(),
            Endpoints = [.. endpoints],
            NetworkMode = endpoints.Count == 0 ? Berth.Core.Networks.NetworkMode.Default : Berth.Core.Networks.NetworkMode.Network(endpoints[0].Network),
            Mounts = [.. container.Mounts.Select(mount => Mount(mount, expand))],
            CapAdd = container.CapabilityAdd,
            CapDrop = container.CapabilityDrop,
            Dns = container.DnsNameservers,
            DnsSearch = container.DnsSearch,
            DnsOptions = container.DnsOptions,
            ExtraHosts = [.. container.Hosts.Select(HostEntry)],
            PortBindings = [.. hostPorts.Select(port => new PortBinding(ContainerPortOf(port), null, port.PublishedPort, port.PublishedPort))],
            ExposedPorts = [.. hostPorts.Select(ContainerPortOf).Distinct()],
            // swarmkit's executor (daemon/cluster/executor/container): the task's limits become the container's.
            Resources = new Runtime.Containers.ContainerResources
            {
                NanoCpus = task.Spec.Resources.LimitNanoCpus,
                Memory = task.Spec.Resources.LimitMemoryBytes,
                PidsLimit = task.Spec.Resources.LimitPids > 0 ? task.Spec.Resources.LimitPids : null,
            },
            Healthcheck = container.Healthcheck is { } health ? new Runtime.Images.HealthConfig
            {
                Test = health.Test.IsEmpty ? null : health.Test,
                Interval = health.Interval.Ticks * 100,
                Timeout = health.Timeout.Ticks * 100,
                StartPeriod = health.StartPeriod.Ticks * 100,
                StartInterval = health.StartInterval.Ticks * 100,
                Retries = health.Retries,
            } : null,
        };
    }

    private static ContainerPort ContainerPortOf(ServicePort port) =>
        new(port.TargetPort, port.Protocol == PortProtocol.Udp ? Berth.Core.Ports.PortProtocol.Udp : Berth.Core.Ports.PortProtocol.Tcp);

    private static MountSpec Mount(ServiceMount mount, Func<string, string> expand) => new()
    {
        Type = mount.Type,
        Source = expand(mount.Source ?? ""),
        Target = expand(mount.Target),
        ReadOnly = mount.ReadOnly,
    };

    /// <summary>Docker keeps <c>--host name:ip</c> as <c>"ip name"</c>; the engine takes <c>name:ip</c>.</summary>
    private static string HostEntry(string entry)
    {
        var parts = entry.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 2 ? $"{parts[1]}:{parts[0]}" : entry;
    }
}
