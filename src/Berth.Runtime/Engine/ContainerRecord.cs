using System.Collections.Immutable;

namespace Berth.Runtime.Engine;

/// <summary>A container as Berth keeps it (under <c>containers/&lt;id&gt;</c> in the store).</summary>
public sealed record ContainerRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required ContainerCreateSpec Spec { get; init; }

    /// <summary>The image id (sha256:…) the container was made from.</summary>
    public required string ImageId { get; init; }

    /// <summary>What runs: Entrypoint followed by Cmd, resolved against the image.</summary>
    public ImmutableArray<string> Command { get; init; } = [];

    public ContainerStatus Status { get; init; } = ContainerStatus.Created;

    public int Pid { get; init; }

    public int ExitCode { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public string ShortId => Id[..12];
}
