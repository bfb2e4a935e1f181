using System.Collections.Immutable;

namespace Berth.Runtime.Volumes;

/// <summary>A volume as Berth keeps it (under <c>volumes/&lt;name&gt;</c> in the store); its data is <c>&lt;root&gt;/volumes/&lt;name&gt;/_data</c>.</summary>
public sealed record VolumeRecord
{
    public required string Name { get; init; }

    /// <summary>Always <see cref="VolumeNames.LocalDriver"/>: Berth has no volume plugins.</summary>
    public string Driver { get; init; } = VolumeNames.LocalDriver;

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>As the client sent them; null when it sent none (Docker shows <c>null</c> then).</summary>
    public ImmutableSortedDictionary<string, string>? Labels { get; init; }

    /// <summary>The driver options as sent; null when none.</summary>
    public ImmutableSortedDictionary<string, string>? Options { get; init; }

    public VolumePhase Phase { get; init; } = VolumePhase.Creating;

    /// <summary>Made without a name (<c>-v /path</c>, an image's VOLUME, <c>volume create</c> with no name): Docker's anonymous label.</summary>
    public bool Anonymous => Labels?.ContainsKey(VolumeNames.AnonymousLabel) == true;
}
