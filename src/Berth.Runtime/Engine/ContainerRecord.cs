using System.Collections.Immutable;
using Berth.Core.Containers;
using Berth.Core.Ports;

namespace Berth.Runtime.Engine;

/// <summary>A container as Berth keeps it (under <c>containers/&lt;id&gt;</c> in the store).</summary>
public sealed record ContainerRecord
{
    public required ContainerId Id { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required ContainerCreateSpec Spec { get; init; }

    /// <summary>The image id (sha256:…) the container was made from.</summary>
    public required string ImageId { get; init; }

    /// <summary>What runs: Entrypoint followed by Cmd, resolved against the image.</summary>
    public ImmutableArray<string> Command { get; init; } = [];

    public ContainerStatus Status { get; init; } = ContainerStatus.Created;

    public int Pid { get; init; }

    /// <summary>Frozen by <c>docker pause</c> (its status stays <see cref="ContainerStatus.Running"/>, as Docker's State.Running does).</summary>
    public bool Paused { get; init; }

    /// <summary>The OOM killer killed a process of its cgroup during its last run (Docker's State.OOMKilled; cleared at the next start).</summary>
    public bool OomKilled { get; init; }

    public int ExitCode { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Automatic restarts since the user last started it (Docker's RestartCount).</summary>
    public int RestartCount { get; init; }

    /// <summary>Stopped or killed by the user: unless-stopped does not bring it back (Docker's HasBeenManuallyStopped).</summary>
    public bool ManuallyStopped { get; init; }

    /// <summary>Network id → the addresses it had there at its last start (asked for again at the next).</summary>
    public ImmutableDictionary<string, EndpointAddresses> LastAddresses { get; init; } = ImmutableDictionary<string, EndpointAddresses>.Empty;

    /// <summary>Its <c>--link</c>s on the default bridge, resolved to the linked containers at create.</summary>
    public ImmutableArray<LegacyLink> LegacyLinks { get; init; } = [];

    /// <summary>The variables its legacy links gave its current (or last) run (<see cref="Engine.LinkEnvironment"/>); its execs get them too.</summary>
    public ImmutableArray<string> LinkEnvironment { get; init; } = [];

    /// <summary>The ports published while it runs (host address and port → container address and port); empty otherwise.</summary>
    public ImmutableArray<PublishedPort> Ports { get; init; } = [];

    /// <summary>Its binds and volumes, resolved at create (<see cref="MountParser"/>, volumes made); empty in records older than volumes.</summary>
    public ImmutableArray<MountPoint> Mounts { get; init; } = [];

    /// <summary>
    /// True when <see cref="ContainerCreateSpec.Endpoints"/> is the whole truth about its networks (the endpoint its
    /// network mode implies written at create); false only in records made before, which are completed when loaded.
    /// </summary>
    public bool ExplicitEndpoints { get; init; }

    public string ShortId => Id.Short;

    /// <summary>
    /// The networks the container is configured for. Explicit once the record is made (the endpoint its network mode
    /// implies is written at create), so a container disconnected from every network stays so.
    /// </summary>
    public ImmutableArray<EndpointSpec> EffectiveEndpoints() => ExplicitEndpoints ? Spec.Endpoints : Spec.EffectiveEndpoints();

    /// <summary>The record with the endpoint its network mode implies written into its spec (records made before that was done at create).</summary>
    public ContainerRecord WithExplicitEndpoints() =>
        ExplicitEndpoints ? this : this with { Spec = Spec with { Endpoints = Spec.EffectiveEndpoints() }, ExplicitEndpoints = true };

    /// <summary>The container's hostname: its own, or its short id (Docker's default).</summary>
    public string EffectiveHostname() => Spec.Hostname is { Length: > 0 } hostname ? hostname : ShortId;
}
