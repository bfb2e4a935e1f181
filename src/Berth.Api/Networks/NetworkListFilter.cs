using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Core.Networks;

namespace Berth.Api.Networks;

/// <summary>
/// <c>GET /networks?filters=</c> (moby <c>daemon/network/filter.go</c>): <c>id</c> (prefix), <c>name</c>
/// (substring), <c>label</c> (<c>k</c> or <c>k=v</c>, all must match), <c>driver</c>, <c>scope</c> (exact),
/// <c>type</c> (<c>custom</c>|<c>builtin</c>), <c>dangling</c> (no containers; predefined networks never dangle).
/// </summary>
internal sealed class NetworkListFilter
{
    private static readonly HashSet<string> AcceptedKeys = ["dangling", "driver", "id", "label", "name", "scope", "type"];

    private readonly FilterArgs _filters;
    private readonly bool? _dangling;
    private readonly bool? _builtin;

    private NetworkListFilter(FilterArgs filters, bool? dangling, bool? builtin)
    {
        _filters = filters;
        _dangling = dangling;
        _builtin = builtin;
    }

    public static NetworkListFilter Create(FilterArgs filters)
    {
        filters.Validate(AcceptedKeys);
        return new NetworkListFilter(filters, ParseDangling(filters), ParseType(filters));
    }

    /// <param name="inUse">Whether a network has containers; none have yet, the container layer will say.</param>
    public bool Matches(NetworkState network, Func<NetworkState, bool> inUse) =>
        _filters.MatchAny("id", term => network.Id.Value.StartsWith(term, StringComparison.Ordinal))
        && _filters.MatchAny("name", term => network.Name.Contains(term, StringComparison.Ordinal))
        && _filters.MatchAny("driver", term => network.Driver == term)
        && _filters.MatchAny("scope", term => network.Config.Scope == term)
        && _filters.MatchLabels("label", network.Config.Labels)
        && (_builtin is not { } builtin || network.Predefined == builtin)
        && (_dangling is not { } dangling || dangling == (!network.Predefined && !inUse(network)));

    private static bool? ParseDangling(FilterArgs filters)
    {
        if (!filters.Contains("dangling"))
        {
            return null;
        }

        bool? result = null;
        foreach (string term in filters.Get("dangling"))
        {
            bool value = term.ToLowerInvariant() switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => throw new BerthException(ErrorKind.InvalidArgument, $"invalid filter 'dangling={term}': use true or false"),
            };
            if (result is { } earlier && earlier != value)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "invalid filter 'dangling': give true or false, not both");
            }

            result = value;
        }

        return result;
    }

    private static bool? ParseType(FilterArgs filters)
    {
        bool? result = null;
        foreach (string term in filters.Get("type"))
        {
            bool builtin = term switch
            {
                "builtin" => true,
                "custom" => false,
                _ => throw new BerthException(ErrorKind.InvalidArgument, $"invalid filter 'type={term}': use custom or builtin"),
            };

            // Both terms together accept every network.
            if (result is { } earlier && earlier != builtin)
            {
                return null;
            }

            result = builtin;
        }

        return result;
    }
}
