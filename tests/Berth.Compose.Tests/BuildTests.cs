using System.Collections.Immutable;
using Berth.Compose.Model;

namespace Berth.Compose.Tests;

/// <summary><c>build:</c>: the short and long forms, the context against the file's directory, the image it is tagged as, and bad values.</summary>
public sealed class BuildTests : IDisposable
{
    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public void ShortFormIsTheContextRelativeToTheFileAndTheImageIsProjectUnderscoreService()
    {
        directory.Write("docker-compose.yml", """
            services:
              api:
                build: ./api
            """);

        var api = directory.Load().Services["api"];

        Assert.Equal(new ComposeBuild { Context = Path.Combine(directory.ProjectPath, "api") }, api.Build);
        Assert.Equal("myapp_api", api.Image);
    }

    [Fact]
    public void LongFormReadsEveryFieldAndKeepsTheGivenImage()
    {
        directory.Environment["FROM_SHELL"] = "shell-value";
        directory.Write("docker-compose.yml", """
            services:
              api:
                image: registry.example/api:2
                build:
                  context: ../shared
                  dockerfile: build/Dockerfile.api
                  args: [VERSION=1.2, FROM_SHELL, UNSET_ONE]
                  target: runtime
                  labels: {team: backend}
                  network: host
                  extra_hosts: ["mirror:10.0.0.5"]
                  no_cache: true
                  pull: yes
            """);

        var build = directory.Load().Services["api"].Build!;

        Assert.Equal(Path.Combine(directory.Root, "shared"), build.Context);
        Assert.Equal("build/Dockerfile.api", build.Dockerfile);
        Expect.Sequence(new Dictionary<string, string> { ["FROM_SHELL"] = "shell-value", ["VERSION"] = "1.2" }, build.Args);
        Assert.Equal("runtime", build.Target);
        Expect.Sequence(new Dictionary<string, string> { ["team"] = "backend" }, build.Labels);
        Assert.Equal("host", build.Network);
        Expect.Sequence(["mirror:10.0.0.5"], build.ExtraHosts);
        Assert.True(build.NoCache);
        Assert.True(build.Pull);
        Assert.Equal("registry.example/api:2", directory.Load().Services["api"].Image);
    }

    [Fact]
    public void LongFormWithoutContextBuildsTheFilesDirectoryWithArgsAsAMap()
    {
        directory.Write("docker-compose.yml", """
            services:
              api:
                build:
                  args: {VERSION: "3"}
            """);

        var build = directory.Load().Services["api"].Build!;

        Assert.Equal(directory.ProjectPath, build.Context);
        Assert.Null(build.Dockerfile);
        Expect.Sequence(new Dictionary<string, string> { ["VERSION"] = "3" }, build.Args);
    }

    [Fact]
    public void BadBuildValuesAreReportedWithFileLineAndColumn()
    {
        directory.Write("docker-compose.yml", """
            services:
              a:
                build: [x]
              b:
                build:
                  context: git@example.com:repo.git
                  dockerfil: Dockerfile
                  no_cache: maybe
              c:
                build:
                  context: ""
            """);

        var problems = directory.Problems();

        Assert.Equal(
            ["docker-compose.yml:3:12: services.a.build: must be a mapping, not a list",
             "docker-compose.yml:6:16: services.b.build.context: \"git@example.com:repo.git\" is a remote context; berth compose builds from a local directory only",
             "docker-compose.yml:7:7: services.b.build: unknown key \"dockerfil\"; did you mean \"dockerfile\"?",
             "docker-compose.yml:8:17: services.b.build.no_cache: must be true or false, not \"maybe\"",
             "docker-compose.yml:11:16: services.c.build.context: is empty; give the build context directory"],
            problems);
    }
}
