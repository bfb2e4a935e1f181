using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Runtime.Images;

namespace Berth.Api.Images;

/// <summary>
/// <c>GET /images/json?filters=</c> (moby <c>daemon/images/images.go</c>): <c>dangling=true|false</c>, <c>label</c> (every
/// term must match), <c>before</c>/<c>since</c> (an image by name or id: created strictly before/after it) and
/// <c>reference</c> (patterns; only the matching tags are listed, and images with none are left out).
/// </summary>
internal sealed class ImageListFilter
{
    private static readonly HashSet<string> AcceptedKeys = ["dangling", "label", "before", "since", "reference", "until"];

    private readonly FilterArgs _filters;
    private readonly bool? _dangling;
    private readonly DateTimeOffset? _before;
    private readonly DateTimeOffset? _since;

    private ImageListFilter(FilterArgs filters, bool? dangling, DateTimeOffset? before, DateTimeOffset? since)
    {
        _filters = filters;
        _dangling = dangling;
        _before = before;
        _since = since;
    }

    public static ImageListFilter Create(FilterArgs filters, ImageStore images)
    {
        filters.Validate(AcceptedKeys);
        return new ImageListFilter(filters, Dangling(filters), Boundary(filters, "before", images, latest: false), Boundary(filters, "since", images, latest: true));
    }

    /// <summary><c>dangling</c> as moby reads it: <c>true</c>/<c>1</c> or <c>false</c>/<c>0</c>, nothing else.</summary>
    public static bool? Dangling(FilterArgs filters)
    {
        bool? result = null;
        foreach (string term in filters.Get("dangling"))
        {
            result = term.ToUpperInvariant() switch
            {
                "TRUE" or "1" => true,
                "FALSE" or "0" => false,
                _ => throw new BerthException(ErrorKind.InvalidArgument, $"invalid filter 'dangling={term}'"),
            };
        }

        return result;
    }

    /// <summary>
    /// The tags to list for <paramref name="image"/>, or null when it is filtered out. Without a <c>reference</c> filter
    /// every tag is kept.
    /// </summary>
    public IReadOnlyList<string>? Select(ImageDetails image)
    {
        bool dangling = image.RepoTags.Count == 0 && image.RepoDigests.Count == 0;
        if ((_dangling is { } wanted && wanted != dangling)
            || (_before is { } before && image.Created >= before)
            || (_since is { } since && image.Created <= since)
            || !_filters.MatchLabels("label", image.Config.Config?.Labels ?? new Dictionary<string, string>()))
        {
            return null;
        }

        if (!_filters.Contains("reference"))
        {
            return image.RepoTags;
        }

        var patterns = _filters.Get("reference");
        List<string> tags = [.. image.RepoTags.Where(t => patterns.Any(p => ReferencePattern.Matches(p, ImageReference.Parse(t))))];
        return tags.Count == 0 ? null : tags;
    }

    private static DateTimeOffset? Boundary(FilterArgs filters, string key, ImageStore images, bool latest)
    {
        var terms = filters.Get(key);
        if (terms.Length == 0)
        {
            return null;
        }

        var times = terms.Select(t => images.Inspect(t).Created).ToList();
        return latest ? times.Max() : times.Min();
    }
}
