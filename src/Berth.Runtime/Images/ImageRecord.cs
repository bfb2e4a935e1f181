using System.Collections.Immutable;

namespace Berth.Runtime.Images;

/// <summary>
/// One stored image: its id (sha256 of the config blob), the normalised references that point at it,
/// its layers bottom first (diff ids, which name the directories under <c>layers/</c>), and its size.
/// </summary>
public sealed record ImageRecord(
    string Id,
    ImmutableArray<string> References,
    DateTimeOffset Created,
    ImmutableArray<string> DiffIds,
    long Size)
{
    /// <summary>Normalised <c>repository@sha256:…</c> names of the manifests this image was pulled by (<c>docker images --digests</c>).</summary>
    public ImmutableArray<string> RepoDigests { get; init; } = [];
}
