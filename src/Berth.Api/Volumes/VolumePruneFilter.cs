using System.Globalization;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Runtime.Volumes;

namespace Berth.Api.Volumes;

/// <summary>
/// <c>POST /volumes/prune?filters=</c> (moby <c>volume/service</c> <c>withPrune</c>): <c>label</c> (all must match),
/// <c>label!</c> (excluded when all match) and <c>all</c>. Without <c>all=true</c> only anonymous volumes go;
/// clients below API 1.42 always get <c>all</c>, as Docker's prune removed every unused volume then.
/// </summary>
internal sealed class VolumePruneFilter
{
    private static readonly HashSet<string> AcceptedKeys = ["all", "label", "label!"];

    private readonly FilterArgs _filters;
    private readonly bool _all;

    private VolumePruneFilter(FilterArgs filters, bool all)
    {
        _filters = filters;
        _all = all;
    }

    public static VolumePruneFilter Create(FilterArgs filters, bool allByDefault)
    {
        filters.Validate(AcceptedKeys);
        var all = filters.Get("all");
        if (all.Length > 1)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid filter 'all={string.Join(",", all)}': only one value is expected");
        }

        bool pruneAll = allByDefault;
        if (all.Length == 1)
        {
            pruneAll = all[0].ToLowerInvariant() switch
            {
                "1" or "t" or "true" => true,
                "0" or "f" or "false" => allByDefault,
                _ => throw new BerthException(ErrorKind.InvalidArgument, $"invalid filter 'all': strconv.ParseBool: parsing {Quote(all[0])}: invalid syntax"),
            };
        }

        return new VolumePruneFilter(filters, pruneAll);
    }

    public bool Matches(VolumeRecord volume)
    {
        var labels = volume.Labels ?? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>();
        return (_all || volume.Anonymous)
            && _filters.MatchLabels("label", labels)
            && (!_filters.Contains("label!") || !_filters.MatchLabels("label!", labels));
    }

    private static string Quote(string text) => string.Create(CultureInfo.InvariantCulture, $"\"{text}\"");
}
