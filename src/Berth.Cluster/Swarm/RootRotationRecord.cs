namespace Berth.Cluster.Swarm;

/// <summary>A root CA rotation under way (<c>swarm ca --rotate</c>), in the cluster record.</summary>
public sealed record RootRotationRecord
{
    /// <summary>The root the cluster moves to (PEM as <c>ExportCertificatePem</c> writes it).</summary>
    public required string NewCaCertificate { get; init; }

    public required RootRotationPhase Phase { get; init; }

    public required DateTimeOffset StartedAt { get; init; }
}
