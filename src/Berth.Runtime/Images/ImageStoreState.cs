using System.Collections.Immutable;

namespace Berth.Runtime.Images;

/// <summary>
/// Everything the image store knows, replaced whole on every change: the images by id and the unpacked
/// layers (diff id → bytes). A reference belongs to at most one image.
/// </summary>
public sealed record ImageStoreState(
    ImmutableDictionary<string, ImageRecord> Images,
    ImmutableDictionary<string, long> Layers)
{
    public static ImageStoreState Empty { get; } = new(
        ImmutableDictionary<string, ImageRecord>.Empty, ImmutableDictionary<string, long>.Empty);

    /// <summary>The image a normalised reference points at, if any.</summary>
    public ImageRecord? FindByReference(string fullName) =>
        Images.Values.FirstOrDefault(i => i.References.Contains(fullName));

    /// <summary>
    /// The image <paramref name="reference"/> names: with a digest, the one pulled with that digest
    /// (<c>repo:tag@sha256:…</c> as the docker CLI pins a service's image: the digest decides, the tag is ignored as
    /// Docker ignores it); otherwise by its tag.
    /// </summary>
    public ImageRecord? Find(ImageReference reference)
    {
        if (reference.Digest is null)
        {
            return FindByReference(reference.FullName);
        }

        string repoDigest = reference.Repository + "@" + reference.Digest;
        return Images.Values.FirstOrDefault(i => i.RepoDigests.Contains(repoDigest)) ?? FindByReference(reference.FullName);
    }

    /// <summary>This state with <paramref name="reference"/> moved to <paramref name="id"/> (taken from whichever image had it).</summary>
    public ImageStoreState WithReference(string id, string reference)
    {
        var images = Images;
        var previous = FindByReference(reference);
        if (previous is not null && previous.Id != id)
        {
            images = images.SetItem(previous.Id, previous with { References = previous.References.Remove(reference) });
        }

        var image = images[id];
        if (!image.References.Contains(reference))
        {
            images = images.SetItem(id, image with { References = image.References.Add(reference) });
        }

        return this with { Images = images };
    }

    /// <summary>Layers no image in <see cref="Images"/> uses.</summary>
    public IEnumerable<string> UnusedLayers()
    {
        var used = Images.Values.SelectMany(i => i.DiffIds).ToHashSet();
        return Layers.Keys.Where(l => !used.Contains(l));
    }
}
