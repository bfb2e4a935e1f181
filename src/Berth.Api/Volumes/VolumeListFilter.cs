using System.Text.RegularExpressions;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Runtime.Volumes;

namespace Berth.Api.Volumes;

/// <summary>
/// <c>GET /volumes?filters=</c> (moby <c>volume/service/convert.go</c>): <c>name</c> (exact, else a regular
/// expression found anywhere in the name), <c>driver</c>, <c>label</c> (<c>k</c> or <c>k=v</c>, all must match),
/// <c>dangling</c> (no container uses it).
/// </summary>
internal sealed class VolumeListFilter
{
    private static readonly HashSet<string> AcceptedKeys = ["dangling", "driver", "label", "name"];
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private readonly FilterArgs _filters;
    private readonly bool? _dangling;

    private VolumeListFilter(FilterArgs filters, bool? dangling)
    {
        _filters = filters;
        _dangling = dangling;
    }

    public static VolumeListFilter Create(FilterArgs filters)
    {
        filters.Validate(AcceptedKeys);
        return new VolumeListFilter(filters, ParseBool(filters, "dangling"));
    }

    public bool Matches(VolumeRecord volume, Func<string, bool> inUse) =>
        _filters.MatchAny("driver", term => volume.Driver == term)
        && _filters.MatchAny("name", term => volume.Name == term || NameMatches(term, volume.Name))
        && _filters.MatchLabels("label", volume.Labels ?? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>())
        && (_dangling is not { } dangling || dangling != inUse(volume.Name));

    /// <summary>moby's <c>GetBoolOrDefault</c>: 1/true or 0/false, not both.</summary>
    public static bool? ParseBool(FilterArgs filters, string key)
    {
        if (!filters.Contains(key))
        {
            return null;
        }

        var terms = filters.Get(key);
        bool isTrue = terms.Any(t => t is "1" or "true");
        bool isFalse = terms.Any(t => t is "0" or "false");
        return isTrue != isFalse
            ? isTrue
            : throw new BerthException(ErrorKind.InvalidArgument, $"invalid filter '{key}={string.Join(",", terms)}': use true or false");
    }

    private static bool NameMatches(string pattern, string name)
    {
        try
        {
            return Regex.IsMatch(name, pattern, RegexOptions.None, RegexTimeout);
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
