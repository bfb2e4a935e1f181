using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Api.Http;
using Berth.Core.Errors;

namespace Berth.Api.Containers;

/// <summary>
/// <c>GET /containers/json</c> selection, as moby's daemon/list.go does it: rows newest first;
/// <c>before</c>/<c>since</c> cut the list at a container; <c>all</c> (implied by <c>status</c> and by a
/// <c>limit</c>) keeps stopped containers; <c>name</c>, <c>id</c> and <c>status</c> match as Go regular
/// expressions (an exact match first, <c>id</c> also by prefix), <c>label</c> needs every term,
/// <c>exited</c> only matches containers that ran, <c>ancestor</c> the image's id, <c>network</c> a
/// network name or id prefix. Terms of one key are alternatives; keys combine with AND.
/// </summary>
internal sealed class ContainerListFilter
{
    /// <summary>moby's acceptedPsFilterTags.</summary>
    private static readonly HashSet<string> AcceptedKeys =
        ["ancestor", "before", "exited", "expose", "health", "id", "is-task", "isolation", "label", "name", "network", "publish", "since", "status", "volume"];

    private static readonly string[] States = ["created", "running", "paused", "restarting", "removing", "exited", "dead"];

    private static readonly string[] HealthStates = ["starting", "healthy", "unhealthy", "none"];

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private readonly FilterArgs _filters;
    private readonly bool _all;
    private readonly int _limit;
    private readonly IReadOnlyList<int> _exited;
    private readonly string? _before;
    private readonly string? _since;
    private readonly IReadOnlySet<string>? _ancestors;

    private ContainerListFilter(FilterArgs filters, bool all, int limit, IReadOnlyList<int> exited, string? before, string? since, IReadOnlySet<string>? ancestors)
    {
        _filters = filters;
        _all = all;
        _limit = limit;
        _exited = exited;
        _before = before;
        _since = since;
        _ancestors = ancestors;
    }

    /// <param name="findContainer">A container's full id from an id, unique prefix or name; null when there is none.</param>
    /// <param name="resolveImage">An image's id (sha256:…) from a reference or id; null when there is none.</param>
    public static ContainerListFilter Create(FilterArgs filters, bool all, int limit, Func<string, string?> findContainer, Func<string, string?> resolveImage)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.Validate(AcceptedKeys);
        var exited = new List<int>();
        foreach (string term in filters.Get("exited"))
        {
            exited.Add(int.TryParse(term, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code)
                ? code
                : throw new BerthException(ErrorKind.InvalidArgument, $"invalid filter 'exited={term}': strconv.Atoi: parsing \"{term}\": invalid syntax"));
        }

        foreach (string term in filters.Get("status"))
        {
            if (!States.Contains(term, StringComparer.Ordinal))
            {
                throw new BerthException(ErrorKind.InvalidArgument,
                    $"invalid filter 'status={term}': invalid value for state ({term}): must be one of {string.Join(", ", States)}");
            }

            all = true;
        }

        foreach (string term in filters.Get("health"))
        {
            if (!HealthStates.Contains(term, StringComparer.Ordinal))
            {
                throw new BerthException(ErrorKind.InvalidArgument,
                    $"invalid filter 'health={term}': Unrecognised health status: {term}; use one of {string.Join(", ", HealthStates)}");
            }
        }

        string? Container(string key)
        {
            string? found = null;
            foreach (string term in filters.Get(key))
            {
                found = findContainer(term) ?? throw new BerthException(ErrorKind.NotFound, $"No such container: {term}");
            }

            return found;
        }

        HashSet<string>? ancestors = null;
        if (filters.Contains("ancestor"))
        {
            ancestors = [.. filters.Get("ancestor").Select(resolveImage).OfType<string>()];
        }

        return new ContainerListFilter(filters, all, limit, exited, Container("before"), Container("since"), ancestors);
    }

    /// <summary>The rows to list, from <paramref name="newestFirst"/> (every container, newest first).</summary>
    public IReadOnlyList<ContainerRow> Select(IEnumerable<ContainerRow> newestFirst)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        var selected = new List<ContainerRow>();
        bool beforeSeen = _before is null;
        foreach (var row in newestFirst)
        {
            if (!beforeSeen)
            {
                beforeSeen = row.Id == _before;
                continue;
            }

            if (row.Id == _since || (_limit > 0 && selected.Count == _limit && Passes(row)))
            {
                break;
            }

            if (Passes(row) && MatchesDetails(row))
            {
                selected.Add(row);
            }
        }

        return selected;
    }

    /// <summary>The checks moby makes before it counts a row against the limit.</summary>
    private bool Passes(ContainerRow row) =>
        (row.Running || _all || _limit > 0)
        && (Match("name", row.Name) || Match("name", "/" + row.Name))
        && (!_filters.Contains("id") || _filters.Get("id").Any(term => row.Id.StartsWith(term, StringComparison.Ordinal)) && Match("id", row.Id))
        && _filters.MatchLabels("label", row.Labels)
        && (!_filters.Contains("is-task") || _filters.Get("is-task").All(t => t is "false" or "0"));

    private bool MatchesDetails(ContainerRow row) =>
        (_exited.Count == 0 || (!row.Running && row.EverStarted && _exited.Contains(row.ExitCode)))
        && Match("status", row.State)
        && _filters.MatchAny("health", term => term == row.Health)
        && !_filters.Contains("volume")
        && !_filters.Contains("publish")
        && !_filters.Contains("expose")
        && (_ancestors is null || _ancestors.Contains(row.ImageId))
        && _filters.MatchAny("network", term => row.Networks.ContainsKey(term) || row.Networks.Values.Any(id => id.StartsWith(term, StringComparison.Ordinal)));

    /// <summary>moby's <c>Args.Match</c>: an exact term, or a term that (as a regular expression) matches anywhere; invalid expressions match nothing.</summary>
    private bool Match(string key, string source) =>
        _filters.MatchAny(key, term =>
        {
            if (term == source)
            {
                return true;
            }

            try
            {
                return Regex.IsMatch(source, term, RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        });
}
