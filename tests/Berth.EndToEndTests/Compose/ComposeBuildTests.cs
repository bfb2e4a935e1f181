using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Compose;

/// <summary>
/// <c>build:</c> through <c>POST /build</c>, the guide's shape: <c>api</c> built from ./api (a file COPYed in, served by
/// httpd), <c>web</c> on the same network fetching from <c>api</c> by name. <c>up</c> builds what is missing and only
/// that; <c>up --build</c> rebuilds and recreates; <c>build</c> alone uses the cache. Then docker-compose 1.29 builds
/// the same project against berthd.
/// </summary>
public sealed class ComposeBuildTests : DaemonTest
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    private const string ComposeFile = """
        services:
          api:
            build: ./api
            networks: [back]
            stop_grace_period: 1s
          web:
            image: bb:latest
            command: ["sleep", "300"]
            networks: [back]
            stop_grace_period: 1s
        networks:
          back: {}
        """;

    private const string Dockerfile = """
        FROM bb:latest
        COPY index.html /www/index.html
        CMD ["httpd", "-f", "-p", "80", "-h", "/www"]
        """;

    [RootFact]
    public void UpBuildsMissingImagesAndBuildFlagRebuildsAndRecreates()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string file = Project("shop", "version one");
        string[] compose = ["compose", "-f", file];

        var up = Checked(daemon, [.. compose, "up", "-d"]);
        Assert.Contains("Building api", up.Error, StringComparison.Ordinal);
        Assert.Contains("Step 2/3 : COPY index.html /www/index.html", up.Output, StringComparison.Ordinal);
        Assert.Contains("Successfully tagged shop_api:latest", up.Output, StringComparison.Ordinal);
        Assert.Contains("WARNING: Image for service api was built because it did not already exist.", up.Error, StringComparison.Ordinal);
        Assert.True(Poll.Until(() => Fetch(daemon) == "version one", Soon), $"web does not get api's page: {Fetch(daemon)}\n{daemon.Log}");
        string apiId = ContainerId(daemon);
        string imageId = daemon.DockerChecked("image", "inspect", "-f", "{{.Id}}", "shop_api").Output.Trim();
        Assert.Equal(imageId, daemon.DockerChecked("inspect", "-f", "{{.Image}}", "shop_api_1").Output.Trim());

        // The image exists: a second up builds nothing and recreates nothing.
        var again = Checked(daemon, [.. compose, "up", "-d"]);
        Assert.DoesNotContain("Building", again.Error + again.Output, StringComparison.Ordinal);
        Assert.Equal(apiId, ContainerId(daemon));

        // The copied file changed: --build rebuilds (the COPY and what follows, not FROM), the new image recreates api.
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(file)!, "api", "index.html"), "version two\n");
        var rebuilt = Checked(daemon, [.. compose, "up", "-d", "--build"]);
        Assert.Contains("Building api", rebuilt.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING: Image for service api", rebuilt.Error, StringComparison.Ordinal);
        Assert.Contains("Recreating shop_api_1", rebuilt.Error, StringComparison.Ordinal);
        Assert.NotEqual(apiId, ContainerId(daemon));
        Assert.True(Poll.Until(() => Fetch(daemon) == "version two", Soon), $"web still gets {Fetch(daemon)} after up --build");

        // build alone: every step from the cache, the same image, so the next up leaves api alone.
        string newApiId = ContainerId(daemon);
        var build = Checked(daemon, [.. compose, "build"]);
        Assert.Contains("web uses an image, skipping", build.Error, StringComparison.Ordinal);
        Assert.Contains("Using cache", build.Output, StringComparison.Ordinal);
        Assert.Contains("Successfully tagged shop_api:latest", build.Output, StringComparison.Ordinal);
        Checked(daemon, [.. compose, "up", "-d"]);
        Assert.Equal(newApiId, ContainerId(daemon));

        // --no-build with the image gone refuses, naming the service.
        Checked(daemon, [.. compose, "down"]);
        daemon.DockerChecked("rmi", "shop_api");
        var refused = daemon.BerthCli([.. compose, "up", "-d", "--no-build"]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Service api needs to be built, but --no-build was passed.", refused.Error, StringComparison.Ordinal);
    }

    [RootFact]
    public void DockerComposeBuildsThroughBerthd()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        var compose = new DockerCompose(daemon, TestRoot, "dc", ComposeFile);
        WriteApi(compose.Directory, "from docker-compose");

        var build = compose.Checked("build");
        Assert.Contains("Successfully tagged dc_api:latest", build.Output + build.Error, StringComparison.Ordinal);
        compose.Checked("up", "-d");
        Assert.True(Poll.Until(() => Fetch(daemon, "dc_web_1") == "from docker-compose", Soon), $"web does not get api's page: {Fetch(daemon, "dc_web_1")}\n{daemon.Log}");
        compose.Checked("down");
    }

    private string Project(string name, string page)
    {
        string directory = Path.Combine(TestRoot, name);
        Directory.CreateDirectory(directory);
        WriteApi(directory, page);
        string file = Path.Combine(directory, "docker-compose.yml");
        File.WriteAllText(file, ComposeFile);
        return file;
    }

    private static void WriteApi(string directory, string page)
    {
        Directory.CreateDirectory(Path.Combine(directory, "api"));
        File.WriteAllText(Path.Combine(directory, "api", "Dockerfile"), Dockerfile);
        File.WriteAllText(Path.Combine(directory, "api", "index.html"), page + "\n");
    }

    private static CmdResult Checked(Berthd daemon, string[] args)
    {
        var result = daemon.BerthCli(args);
        Assert.True(result.ExitCode == 0, $"berth {string.Join(' ', args)} failed:\n{result}\n{daemon.Log}");
        return result;
    }

    private static string ContainerId(Berthd daemon) => daemon.DockerChecked("inspect", "-f", "{{.Id}}", "shop_api_1").Output.Trim();

    private static string? Fetch(Berthd daemon, string web = "shop_web_1")
    {
        var result = daemon.Docker("exec", web, "timeout", "3", "wget", "-qO-", "http://api/");
        return result.ExitCode == 0 ? result.Output.Trim() : null;
    }
}
