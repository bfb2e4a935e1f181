using System.Collections.Immutable;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Services;

/// <summary>A service's placement, parsed once: constraints, spread preferences, max replicas per node, platforms, reservations.</summary>
public sealed record ServicePlacementRules(ServiceId Service, IReadOnlyList<PlacementConstraint> Constraints)
{
    /// <summary>Label descriptors (<c>node.labels.zone</c>), most significant first.</summary>
    public ImmutableArray<string> Spread { get; init; } = [];

    /// <summary>0: no limit.</summary>
    public ulong MaxReplicas { get; init; }

    public ImmutableArray<string> Platforms { get; init; } = [];

    public TaskResources Resources { get; init; } = new();

    /// <summary>Ports published in host mode with a number: two tasks holding one of them never share a node.</summary>
    public ImmutableArray<HostPort> HostPorts { get; init; } = [];

    /// <summary>The rules of a service's spec: its task template's placement and its host-mode ports.</summary>
    public static ServicePlacementRules From(ServiceId service, ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return From(service, spec.Task) with { HostPorts = HostPortsOf(spec) };
    }

    public static ImmutableArray<HostPort> HostPortsOf(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return [.. spec.Endpoint.Ports.Where(p => p.Mode == PublishMode.Host && p.PublishedPort != 0).Select(p => new HostPort(p.Protocol, p.PublishedPort))];
    }

    /// <summary>The rules of <paramref name="spec"/>; InvalidArgument when a constraint does not read.</summary>
    public static ServicePlacementRules From(ServiceId service, TaskSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ServicePlacementRules(service, PlacementConstraint.ParseAll(spec.Placement.Constraints))
        {
            Spread = [.. spec.Placement.Spread.Select(s => s.StartsWith("spread=", StringComparison.Ordinal) ? s["spread=".Length..] : s)],
            MaxReplicas = spec.Placement.MaxReplicas,
            Platforms = spec.Placement.Platforms,
            Resources = spec.Resources,
        };
    }
}

/// <summary>A task that holds its node: a service's, on a node, with what it reserves and the host ports it binds.</summary>
public sealed record ScheduledTask(ServiceId Service, NodeId Node, TaskResources Reserved)
{
    public ImmutableArray<HostPort> HostPorts { get; init; } = [];
}

/// <summary>A port bound on the node itself (<c>--publish mode=host</c>).</summary>
public readonly record struct HostPort(PortProtocol Protocol, ushort Port);

/// <summary>Where a new task goes: a node, or none with Docker's reason (<c>no suitable node (…)</c>).</summary>
public sealed record PlacementDecision(NodeId? Node, string Message);
