using Berth.Api.Contracts;

namespace Berth.Compose.Planning;

/// <summary>
/// One named volume of the project (top-level <c>volumes:</c>): its Docker name and, unless it is external, the create
/// request with the labels <c>com.docker.compose.project</c>/<c>volume</c>/<c>version</c> docker-compose writes.
/// </summary>
public sealed record VolumePlan
{
    /// <summary>The key in the file.</summary>
    public required string Key { get; init; }

    /// <summary>The Docker name: <c>name:</c>, else <c>PROJECT_KEY</c> (an external volume: its key or <c>external.name</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Made elsewhere: must exist at <c>up</c>; never created nor removed.</summary>
    public bool External { get; init; }

    /// <summary>The body of <c>POST /volumes/create</c>; null for an external volume.</summary>
    public VolumeCreateRequest? Create { get; init; }
}
