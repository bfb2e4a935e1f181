using Berth.Core.Errors;

namespace Berth.Api.Http;

/// <summary>
/// The filters every moby prune takes (<c>daemon/prune.go</c>): <c>label</c> (every term must match), <c>label!</c>
/// (excluded when every term matches; the CLI turns <c>label!=a=b</c> into it) and <c>until</c> (created before a time
/// or a duration ago; at most one).
/// </summary>
internal sealed class PruneFilter
{
    private static readonly HashSet<string> AcceptedKeys = ["label", "label!", "until"];

    private readonly FilterArgs _filters;
    private readonly DateTimeOffset? _until;

    private PruneFilter(FilterArgs filters, DateTimeOffset? until)
    {
        _filters = filters;
        _until = until;
    }

    public static PruneFilter Create(FilterArgs filters, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.Validate(AcceptedKeys);
        var until = filters.Get("until");
        if (until.Length > 1)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "more than one until filter specified");
        }

        return new PruneFilter(filters, until.Length == 1 ? GoTimestamp.Parse(until[0], now) : null);
    }

    public bool Matches(DateTimeOffset created, IReadOnlyDictionary<string, string> labels)
    {
        if (_until is { } until && created >= until)
        {
            return false;
        }

        if (!_filters.MatchLabels("label", labels))
        {
            return false;
        }

        // MatchLabels is true for an absent key, so "label!" must be present to exclude anything.
        return !(_filters.Contains("label!") && _filters.MatchLabels("label!", labels));
    }
}
