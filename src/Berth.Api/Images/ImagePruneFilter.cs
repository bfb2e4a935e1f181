using Berth.Api.Http;
using Berth.Runtime.Images;

namespace Berth.Api.Images;

/// <summary>
/// <c>POST /images/prune?filters=</c> (moby <c>ImagesPrune</c>): <c>dangling</c> (default true: only untagged images;
/// false: every image no container uses), <c>label</c>/<c>label!</c> and <c>until</c>.
/// </summary>
internal sealed class ImagePruneFilter
{
    private static readonly HashSet<string> AcceptedKeys = ["dangling", "label", "label!", "until"];

    private readonly FilterArgs _filters;
    private readonly DateTimeOffset? _until;

    private ImagePruneFilter(FilterArgs filters, bool danglingOnly, DateTimeOffset? until)
    {
        _filters = filters;
        DanglingOnly = danglingOnly;
        _until = until;
    }

    public bool DanglingOnly { get; }

    public static ImagePruneFilter Create(FilterArgs filters, DateTimeOffset now)
    {
        filters.Validate(AcceptedKeys);
        var until = filters.Get("until");
        return new ImagePruneFilter(filters, ImageListFilter.Dangling(filters) ?? true, until.Length > 0 ? GoTimestamp.Parse(until[^1], now) : null);
    }

    public bool Matches(ImageDetails image)
    {
        var labels = image.Config.Config?.Labels ?? new Dictionary<string, string>();
        if (_until is { } until && image.Created >= until)
        {
            return false;
        }

        return _filters.MatchLabels("label", labels) && !(_filters.Contains("label!") && _filters.MatchLabels("label!", labels));
    }
}
