using System.Collections.Immutable;

namespace Berth.Runtime.Engine;

/// <summary>A container as the client asked for it (the parts of Docker's create request Berth acts on).</summary>
public sealed record ContainerCreateSpec
{
    public required string Image { get; init; }

    /// <summary>Null: the image's.</summary>
    public ImmutableArray<string>? Cmd { get; init; }

    /// <summary>Null: the image's.</summary>
    public ImmutableArray<string>? Entrypoint { get; init; }

    public ImmutableArray<string> Env { get; init; } = [];

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    public string? Hostname { get; init; }

    public bool Tty { get; init; }

    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>default, bridge, host, none, container:&lt;id&gt;, or a network name.</summary>
    public string NetworkMode { get; init; } = "default";

    /// <summary>The networks to connect at start, with their fixed addresses and aliases.</summary>
    public ImmutableArray<EndpointSpec> Endpoints { get; init; } = [];

    public bool AutoRemove { get; init; }

    /// <summary>What to do when the process exits (validated by <see cref="RestartPolicy.Validate"/>).</summary>
    public RestartPolicy RestartPolicy { get; init; } = RestartPolicy.None;
}
