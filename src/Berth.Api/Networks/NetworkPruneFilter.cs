using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Core.Networks;

namespace Berth.Api.Networks;

/// <summary>
/// <c>POST /networks/prune?filters=</c> (moby <c>daemon/prune.go</c>): <c>label</c> (every term must match),
/// <c>label!</c> (excluded when every term matches; the CLI turns <c>label!=a=b</c> into it) and
/// <c>until</c> (created before a time or a duration ago; at most one).
/// </summary>
internal sealed class NetworkPruneFilter
{
    private static readonly HashSet<string> AcceptedKeys = ["label", "label!", "until"];

    private readonly FilterArgs _filters;
    private readonly DateTimeOffset? _until;

    private NetworkPruneFilter(FilterArgs filters, DateTimeOffset? until)
    {
        _filters = filters;
        _until = until;
    }

    public static NetworkPruneFilter Create(FilterArgs filters, DateTimeOffset now)
    {
        filters.Validate(AcceptedKeys);
        var until = filters.Get("until");
        if (until.Length > 1)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "more than one until filter specified");
        }

        return new NetworkPruneFilter(filters, until.Length == 1 ? GoTimestamp.Parse(until[0], now) : null);
    }

    public bool Matches(NetworkState network)
    {
        if (_until is { } until && network.Created >= until)
        {
            return false;
        }

        if (!_filters.MatchLabels("label", network.Config.Labels))
        {
            return false;
        }

        // MatchLabels is true for an absent key, so "label!" must be present to exclude anything.
        return !(_filters.Contains("label!") && _filters.MatchLabels("label!", network.Config.Labels));
    }
}
