using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Berth.Runtime.Images;

namespace Berth.Api.Images;

/// <summary>
/// The image events of <c>GET /events</c> for what the image routes did, as moby's image service logs them: <c>pull</c>
/// (the reference), <c>import</c> and <c>load</c> (the image id), <c>tag</c>/<c>untag</c> (the image id, the reference as
/// <c>name</c>), <c>delete</c>, <c>save</c>, one <c>prune</c> with the bytes reclaimed. Each carries the image's labels
/// while it still exists. Without an event hub (an API over images only) nothing is published.
/// </summary>
internal sealed class ImageEventLog(ImageStore images, EventHub? hub)
{
    private readonly ContainerEvents? _events = hub is null ? null : new ContainerEvents(hub);

    public void Pulled(string reference) => Publish("pull", reference, reference);

    public void Imported(string id, string? reference)
    {
        Publish("import", id, id);
        if (reference is not null)
        {
            Publish("tag", id, reference);
        }
    }

    /// <summary><c>docker load</c>'s names: image ids (loaded untagged) and references (loaded and tagged).</summary>
    public void Loaded(IEnumerable<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            string id = IdOf(name) ?? name;
            if (seen.Add(id))
            {
                Publish("load", id, id);
            }

            if (id != name)
            {
                Publish("tag", id, name);
            }
        }
    }

    public void Saved(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            Publish("save", IdOf(name) ?? name, name);
        }
    }

    public void Tagged(string reference) => Publish("tag", IdOf(reference) ?? reference, reference);

    /// <summary>What <c>docker rmi</c> did to the image that was <paramref name="imageId"/>: an <c>untag</c> per reference, a <c>delete</c> when it went.</summary>
    public void Removed(IReadOnlySet<string> imageIds, IEnumerable<ImageDeleteResult> results, string? imageId)
    {
        foreach (ImageDeleteResult result in results)
        {
            if (result.Untagged is { } untagged)
            {
                Publish("untag", imageId ?? untagged, untagged);
            }
            else if (result.Deleted is { } deleted && imageIds.Contains(deleted))
            {
                Publish("delete", deleted, deleted);
            }
        }
    }

    public void Pruned(IReadOnlySet<string> imageIds, ImagePruneResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Removed(imageIds, result.Deleted, imageId: null);
        _events?.Prune("image", result.SpaceReclaimed);
    }

    /// <summary>The ids of every image now: what a removal's <c>Deleted</c> entries are told apart from layers by.</summary>
    public IReadOnlySet<string> ImageIds() => images.List().Select(i => i.Id).ToHashSet(StringComparer.Ordinal);

    public string? IdOf(string nameOrId)
    {
        try
        {
            return images.Inspect(nameOrId).Id;
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary><c>docker.io/library/bb:v2</c> as Docker's events name it: <c>bb:v2</c>; ids stay as they are.</summary>
    private static string Familiar(string name) =>
        !name.StartsWith(Digests.Sha256Prefix, StringComparison.Ordinal) && ImageReference.TryParse(name, out var reference, out _) ? reference.FamiliarString : name;

    private void Publish(string action, string actorId, string name)
    {
        if (_events is null)
        {
            return;
        }

        IReadOnlyDictionary<string, string>? labels = null;
        try
        {
            labels = images.Inspect(actorId).Config.Config?.Labels;
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            // Deleted (or a pull's reference): no labels to add.
        }

        _events.Image(action, Familiar(actorId), Familiar(name), labels);
    }
}
