using System.Collections.Immutable;
using Berth.Api.Containers;
using Berth.Api.Http;
using Berth.Core.Errors;

namespace Berth.Api.Tests;

/// <summary><c>docker ps</c> selection over fixed rows (newest first), in both filter encodings.</summary>
public sealed class ContainerListFilterTests
{
    private const string NetA = "aaaa1111";
    private const string Bridge = "bbbb2222";

    // Newest first: other (exited 0), db1 (created), web2 (exited 3, image 2), web1 (running, neta).
    private static readonly ContainerRow[] Rows =
    [
        Row("o0", "other", "sha256:1", "exited", false, 0, true, [], ("bridge", Bridge)),
        Row("d1", "db1", "sha256:1", "created", false, 0, false, [("tier", "db")], ("bridge", Bridge)),
        Row("w2", "web2", "sha256:2", "exited", false, 3, true, [("tier", "web"), ("extra", "")], ("bridge", Bridge)),
        Row("w1", "web1", "sha256:1", "running", true, 0, true, [("tier", "web")], ("neta", NetA)),
    ];

    [Theory]
    [InlineData("", false, -1, "web1")]
    [InlineData("", true, -1, "other db1 web2 web1")]
    [InlineData("""{"label":{"tier=web":true}}""", true, -1, "web2 web1")]
    [InlineData("""{"label":["tier=web","extra"]}""", true, -1, "web2")]
    [InlineData("""{"label":["tier"]}""", true, -1, "db1 web2 web1")]
    [InlineData("""{"name":{"web":true}}""", true, -1, "web2 web1")]
    [InlineData("""{"name":["^web1$","db"]}""", true, -1, "db1 web1")]
    [InlineData("""{"name":["/other"]}""", true, -1, "other")]
    [InlineData("""{"name":["[unclosed"]}""", true, -1, "")]
    [InlineData("""{"id":["d"]}""", true, -1, "db1")]
    [InlineData("""{"status":["exited"]}""", false, -1, "other web2")]
    [InlineData("""{"status":["created","running"]}""", false, -1, "db1 web1")]
    [InlineData("""{"exited":["3"]}""", true, -1, "web2")]
    [InlineData("""{"exited":["0"]}""", true, -1, "other")]
    [InlineData("""{"ancestor":["image2"]}""", true, -1, "web2")]
    [InlineData("""{"ancestor":["nosuch"]}""", true, -1, "")]
    [InlineData("""{"network":["neta"]}""", true, -1, "web1")]
    [InlineData("""{"network":["bbbb"]}""", true, -1, "other db1 web2")]
    [InlineData("""{"before":["db1"]}""", true, -1, "web2 web1")]
    [InlineData("""{"since":["web2"]}""", true, -1, "other db1")]
    [InlineData("""{"label":["tier=web"],"status":["running"]}""", false, -1, "web1")]
    [InlineData("", false, 2, "other db1")]
    [InlineData("""{"label":["tier=web"]}""", false, 1, "web2")]
    [InlineData("""{"health":["none"]}""", true, -1, "other db1 web2 web1")]
    [InlineData("""{"health":["healthy"]}""", true, -1, "")]
    [InlineData("""{"volume":["/data"]}""", true, -1, "")]
    public void Each_filter_selects_the_right_containers(string filters, bool all, int limit, string expected)
    {
        var filter = ContainerListFilter.Create(FilterArgs.Parse(filters), all, limit, FindContainer, ResolveImage);
        Assert.Equal(expected, string.Join(' ', filter.Select(Rows).Select(r => r.Name)));
    }

    [Theory]
    [InlineData("""{"status":["sleeping"]}""", ErrorKind.InvalidArgument,
        "invalid filter 'status=sleeping': invalid value for state (sleeping): must be one of created, running, paused, restarting, removing, exited, dead")]
    [InlineData("""{"exited":["x"]}""", ErrorKind.InvalidArgument, "invalid filter 'exited=x': strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("""{"colour":["red"]}""", ErrorKind.InvalidArgument, "invalid filter 'colour'")]
    [InlineData("""{"before":["nosuch"]}""", ErrorKind.NotFound, "No such container: nosuch")]
    public void Bad_filters_are_refused_as_moby_refuses_them(string filters, ErrorKind kind, string message)
    {
        var e = Assert.Throws<BerthException>(() => ContainerListFilter.Create(FilterArgs.Parse(filters), false, -1, FindContainer, ResolveImage));
        Assert.Equal(kind, e.Kind);
        Assert.Equal(message, e.Message);
    }

    private static string? FindContainer(string idOrName) => Rows.FirstOrDefault(r => r.Name == idOrName || r.Id == idOrName)?.Id;

    private static string? ResolveImage(string reference) => reference switch
    {
        "image1" => "sha256:1",
        "image2" => "sha256:2",
        _ => null,
    };

    private static ContainerRow Row(string id, string name, string image, string state, bool running, int exitCode, bool started, (string, string)[] labels, (string Name, string Id) network) =>
        new(id, name, image, labels.ToDictionary(l => l.Item1, l => l.Item2), state, running, exitCode, started,
            ImmutableDictionary<string, string>.Empty.Add(network.Name, network.Id));
}
