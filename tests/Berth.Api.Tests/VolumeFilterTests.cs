using System.Collections.Immutable;
using Berth.Api.Http;
using Berth.Api.Volumes;
using Berth.Core.Errors;
using Berth.Runtime.Volumes;

namespace Berth.Api.Tests;

/// <summary><c>GET /volumes</c> and <c>POST /volumes/prune</c> selection, as moby's volume service selects.</summary>
public sealed class VolumeFilterTests
{
    private static readonly VolumeRecord[] Volumes =
    [
        Volume("data", ("team", "a")),
        Volume("data-old", ("team", "b"), ("old", "")),
        Volume("cache"),
        Volume(new string('f', 64), (VolumeNames.AnonymousLabel, "")),
    ];

    private static readonly HashSet<string> Used = ["data"];

    [Theory]
    [InlineData("", "data data-old cache ffff")]
    [InlineData("""{"name":{"data":true}}""", "data data-old")]
    [InlineData("""{"name":["^data$"]}""", "data")]
    [InlineData("""{"name":["("]}""", "")]
    [InlineData("""{"label":{"team":true}}""", "data data-old")]
    [InlineData("""{"label":["team=b","old"]}""", "data-old")]
    [InlineData("""{"dangling":{"true":true}}""", "data-old cache ffff")]
    [InlineData("""{"dangling":["0"]}""", "data")]
    [InlineData("""{"driver":{"local":true}}""", "data data-old cache ffff")]
    [InlineData("""{"driver":{"nfs":true}}""", "")]
    public void ListSelectsAsDocker(string filters, string expected)
    {
        var filter = VolumeListFilter.Create(FilterArgs.Parse(filters));
        Assert.Equal(expected, Names(Volumes.Where(v => filter.Matches(v, Used.Contains))));
    }

    [Theory]
    [InlineData("""{"until":{"1h":true}}""", "invalid filter 'until'")]
    [InlineData("""{"dangling":{"true":true,"false":true}}""", "invalid filter 'dangling=true,false': use true or false")]
    [InlineData("""{"dangling":{"maybe":true}}""", "invalid filter 'dangling=maybe': use true or false")]
    public void BadListFiltersAreRefused(string filters, string message)
    {
        var error = Assert.Throws<BerthException>(() => VolumeListFilter.Create(FilterArgs.Parse(filters)));
        Assert.Equal((ErrorKind.InvalidArgument, message), (error.Kind, error.Message));
    }

    [Theory]
    [InlineData("", false, "ffff")]
    [InlineData("", true, "data data-old cache ffff")]
    [InlineData("""{"all":["true"]}""", false, "data data-old cache ffff")]
    [InlineData("""{"all":["false"]}""", false, "ffff")]
    [InlineData("""{"all":["1"],"label":["team"]}""", false, "data data-old")]
    [InlineData("""{"all":["1"],"label!":["old"]}""", false, "data cache ffff")]
    public void PruneTakesAnonymousVolumesUnlessAll(string filters, bool olderApi, string expected)
    {
        var filter = VolumePruneFilter.Create(FilterArgs.Parse(filters), allByDefault: olderApi);
        Assert.Equal(expected, Names(Volumes.Where(filter.Matches)));
    }

    [Theory]
    [InlineData("""{"all":["yes"]}""", "invalid filter 'all': strconv.ParseBool: parsing \"yes\": invalid syntax")]
    [InlineData("""{"all":["1","0"]}""", "invalid filter 'all=1,0': only one value is expected")]
    [InlineData("""{"dangling":["true"]}""", "invalid filter 'dangling'")]
    public void BadPruneFiltersAreRefused(string filters, string message) =>
        Assert.Equal(message, Assert.Throws<BerthException>(() => VolumePruneFilter.Create(FilterArgs.Parse(filters), allByDefault: false)).Message);

    private static string Names(IEnumerable<VolumeRecord> volumes) => string.Join(" ", volumes.Select(v => v.Name.Length == 64 ? "ffff" : v.Name));

    private static VolumeRecord Volume(string name, params (string Key, string Value)[] labels) => new()
    {
        Name = name,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Labels = labels.Length == 0 ? null : labels.ToImmutableSortedDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
        Phase = VolumePhase.Ready,
    };
}
