using Berth.Cli.Formatting;

namespace Berth.Cli.Tests;

/// <summary>berth's image commands against the fake daemon: docker's tables byte for byte, and the requests docker sends.</summary>
public sealed class ImageCommandTests : IDisposable
{
    private const string BbId = "sha256:1b9ca5ca4a60f1e2d3c4b5a6978877665544332211aabbccddeeff0011223344";
    private const string DanglingId = "sha256:de05e7c90c35aaaabbbbccccddddeeeeffff00001111222233334444555566667";

    private readonly FakeDaemon daemon = new();
    private readonly long threeHoursAgo = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds();

    public ImageCommandTests()
    {
        daemon.Routes = (method, path) => (method, path) switch
        {
            ("GET", "/images/json") => (200, $$"""
                [{"Containers":-1,"Created":{{threeHoursAgo}},"Id":"{{DanglingId}}","Labels":{},"ParentId":"","RepoDigests":[],"RepoTags":[],"SharedSize":-1,"Size":999999},
                 {"Containers":-1,"Created":{{threeHoursAgo}},"Id":"{{BbId}}","Labels":{},"ParentId":"","RepoDigests":["127.0.0.1:5000/bb@sha256:aaaa"],"RepoTags":["bb:latest","bb:v2","127.0.0.1:5000/bb:latest"],"SharedSize":-1,"Size":1982256}]
                """),
            ("DELETE", "/images/bb:latest") => (200, $$"""[{"Untagged":"bb:latest"},{"Deleted":"{{BbId}}"}]"""),
            ("DELETE", _) => (409, """{"message":"conflict: unable to remove repository reference \"x\" (must force)"}"""),
            ("POST", "/images/bb:latest/tag") => (201, ""),
            ("POST", "/images/create") => (200,
                "{\"status\":\"Pulling from bb\",\"id\":\"latest\"}\r\n{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"0123456789ab\"}\r\n" +
                "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":10,\"total\":20},\"id\":\"0123456789ab\"}\r\n{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"0123456789ab\"}\r\n" +
                "{\"status\":\"Digest: sha256:aaaa\"}\r\n{\"status\":\"Status: Downloaded newer image for 127.0.0.1:5000/bb:latest\"}\r\n"),
            ("POST", "/images/prune") => (200, $$"""{"ImagesDeleted":[{"Untagged":"x:1"},{"Deleted":"{{DanglingId}}"}],"SpaceReclaimed":1982256}"""),
            ("GET", "/images/bb:latest/history") => (200, $$"""[{"Comment":"Imported from -","Created":{{threeHoursAgo}},"CreatedBy":"/bin/sh -c #(nop) a command\tthat is long enough to be cut off","Id":"{{BbId}}","Size":1982256,"Tags":["bb:latest"]}]"""),
            _ => null,
        };
    }

    public void Dispose() => daemon.Dispose();

    [Fact]
    public async Task ImagesPrintsDockersTableOneRowPerTag()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "images");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "REPOSITORY          TAG       IMAGE ID       CREATED       SIZE\n" +
            "<none>              <none>    de05e7c90c35   3 hours ago   1e+03kB\n" +
            "bb                  latest    1b9ca5ca4a60   3 hours ago   1.98MB\n" +
            "bb                  v2        1b9ca5ca4a60   3 hours ago   1.98MB\n" +
            "127.0.0.1:5000/bb   latest    1b9ca5ca4a60   3 hours ago   1.98MB\n", run.Out);
        Assert.Equal(["GET /v1.45/images/json"], daemon.Requests);
    }

    [Fact]
    public async Task DigestsAndFiltersAsDockerSendsThem()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "image", "ls", "-a", "--digests", "--filter", "dangling=false", "127.0.0.1:5000/bb");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("127.0.0.1:5000/bb   latest    sha256:aaaa   1b9ca5ca4a60   3 hours ago   1.98MB\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("bb                  latest    <none>        1b9ca5ca4a60", run.Out, StringComparison.Ordinal);
        Assert.Equal("GET /v1.45/images/json?all=1&filters=" + Uri.EscapeDataString("""{"dangling":{"false":true},"reference":{"127.0.0.1:5000/bb":true}}"""), daemon.Requests.Single());
    }

    [Fact]
    public async Task RmiPrintsEachLineAndReportsFailuresAfterTheRest()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "rmi", "-f", "x", "bb:latest");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"Untagged: bb:latest\nDeleted: {BbId}\n", run.Out);
        Assert.Equal("Error response from daemon: conflict: unable to remove repository reference \"x\" (must force)\n", run.Err);
        Assert.Equal(["DELETE /v1.45/images/x?force=1", "DELETE /v1.45/images/bb:latest?force=1"], daemon.Requests);
    }

    [Fact]
    public async Task TagSendsRepositoryAndTagApart()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "tag", "bb:latest", "127.0.0.1:5000/bb:v1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal("POST /v1.45/images/bb:latest/tag?repo=127.0.0.1%3A5000%2Fbb&tag=v1", daemon.Requests.Single());
    }

    [Fact]
    public async Task PullPrintsProgressAsDockerDoesWithoutATerminal()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "pull", "127.0.0.1:5000/bb");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "Using default tag: latest\nlatest: Pulling from bb\n0123456789ab: Pulling fs layer\n0123456789ab: Pull complete\n" +
            "Digest: sha256:aaaa\nStatus: Downloaded newer image for 127.0.0.1:5000/bb:latest\n127.0.0.1:5000/bb:latest\n", run.Out);
        Assert.Equal("POST /v1.45/images/create?fromImage=127.0.0.1%3A5000%2Fbb&tag=latest", daemon.Requests.Single());
    }

    [Fact]
    public async Task PruneSendsDanglingAndReportsWhatWent()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "image", "prune", "-f");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"Deleted Images:\nuntagged: x:1\ndeleted: {DanglingId}\n\nTotal reclaimed space: 1.982MB\n", run.Out);
        Assert.Equal("POST /v1.45/images/prune?filters=" + Uri.EscapeDataString("""{"dangling":{"true":true}}"""), daemon.Requests.Single());
    }

    [Fact]
    public async Task HistoryCutsTheCommandAndShowsHumanSizes()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "history", "bb:latest");

        Assert.Equal(
            "IMAGE          CREATED       CREATED BY                                      SIZE      COMMENT\n" +
            "1b9ca5ca4a60   3 hours ago   /bin/sh -c #(nop) a command that is long eno…   1.98MB    Imported from -\n", run.Out);
    }

    [Theory]
    [InlineData(0, 3, "0B")]
    [InlineData(999, 3, "999B")]
    [InlineData(999_999, 3, "1e+03kB")]
    [InlineData(1_982_256, 3, "1.98MB")]
    [InlineData(1_982_256, 4, "1.982MB")]
    [InlineData(12_345_678_901, 3, "12.3GB")]
    public void SizesAsGoUnitsPrintThem(long bytes, int precision, string expected) =>
        Assert.Equal(expected, GoUnits.HumanSize(bytes, precision));

    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(59, "59 seconds")]
    [InlineData(61, "About a minute")]
    [InlineData(3599, "59 minutes")]
    [InlineData(5400, "2 hours")]
    [InlineData(3 * 86400, "3 days")]
    [InlineData(20 * 86400, "2 weeks")]
    [InlineData(100 * 86400, "3 months")]
    [InlineData(800 * 86400, "2 years")]
    public void DurationsAsGoUnitsPrintThem(double seconds, string expected) =>
        Assert.Equal(expected, GoUnits.HumanDuration(TimeSpan.FromSeconds(seconds)));
}
