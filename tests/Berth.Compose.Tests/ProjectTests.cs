using Berth.Compose.Loading;
using Berth.Core.Errors;

namespace Berth.Compose.Tests;

/// <summary>-f merging, profiles, the project name, and finding the files.</summary>
public sealed class ProjectTests : IDisposable
{
    private readonly ComposeDirectory directory = new("Web_Shop");

    public void Dispose() => directory.Dispose();

    [Fact]
    public void TwoFilesMergeByTheSpecificationsRules()
    {
        directory.Write("compose.yaml", """
            services:
              web:
                image: nginx:1
                command: ["nginx", "-g", "daemon off;"]
                environment:
                  A: "1"
                  B: "2"
                labels: [tier=front]
                ports: ["8080:80"]
                dns: 1.1.1.1
                volumes:
                  - ./html:/usr/share/nginx/html
                  - logs:/var/log/nginx
                networks: [front]
                healthcheck:
                  test: ["CMD", "true"]
                  interval: 10s
            networks:
              front: {}
            volumes:
              logs: {}
            """);
        directory.Write("compose.prod.yaml", """
            services:
              web:
                image: nginx:2
                command: nginx
                environment:
                  - B=two
                  - C=3
                labels:
                  version: "2"
                ports: ["8443:443", "8080:80"]
                dns: [8.8.8.8]
                volumes:
                  - ./prod-html:/usr/share/nginx/html:ro
                networks:
                  back: {aliases: [site]}
                healthcheck:
                  test: curl -f localhost
              worker:
                image: worker
                networks: [back]
            networks:
              back: {internal: true}
            """);

        var project = directory.Load("compose.yaml", "compose.prod.yaml");

        var web = project.Services["web"];
        Assert.Equal("nginx:2", web.Image);
        Expect.Sequence(["nginx"], web.Command!.Value);
        Expect.Sequence(["A", "B", "C"], web.Environment.Keys);
        Expect.Sequence(["1", "two", "3"], web.Environment.Values);
        Assert.Equal("front", web.Labels["tier"]);
        Assert.Equal("2", web.Labels["version"]);
        Expect.Sequence(["8080", "8443"], web.Ports.Select(p => p.Published));
        Expect.Sequence(["1.1.1.1", "8.8.8.8"], web.Dns);
        Expect.Sequence(
            [("/var/log/nginx", false), ("/usr/share/nginx/html", true)],
            web.Volumes.Select(v => (v.Target, v.ReadOnly)));
        Expect.Sequence(["back", "front"], web.Networks.Select(n => n.Network));
        Expect.Sequence(["site"], web.Networks[0].Aliases);
        Expect.Sequence(["CMD-SHELL", "curl -f localhost"], web.Healthcheck!.Test);
        Assert.Equal(TimeSpan.FromSeconds(10), web.Healthcheck.Interval);
        Expect.Sequence(["web", "worker"], project.Services.Keys);
        Assert.True(project.Networks["back"].Internal);
        Assert.Equal(2, project.ConfigFiles.Length);
        Assert.Equal(directory.ProjectPath, project.WorkingDirectory);
    }

    [Fact]
    public void ResetAndOverrideTags()
    {
        directory.Write("a.yaml", """
            services:
              web:
                image: x
                ports: ["80:80"]
                environment: {A: "1", B: "2"}
            """);
        directory.Write("b.yaml", """
            services:
              web:
                ports: !reset []
                environment: !override {C: "3"}
            """);

        var web = directory.Load("a.yaml", "b.yaml").Services["web"];

        Assert.Empty(web.Ports);
        Expect.Sequence(["C"], web.Environment.Keys);
    }

    [Fact]
    public void OverrideFileIsFoundBesideTheDefaultFile()
    {
        directory.Write("docker-compose.yml", "services:\n  web:\n    image: base\n");
        directory.Write("docker-compose.override.yml", "services:\n  web:\n    image: overridden\n");
        Directory.CreateDirectory(Path.Combine(directory.ProjectPath, "sub"));

        var project = directory.Load(new ComposeLoadOptions { CurrentDirectory = Path.Combine(directory.ProjectPath, "sub") });

        Assert.Equal("overridden", project.Services["web"].Image);
        Expect.Sequence(
            [Path.Combine(directory.ProjectPath, "docker-compose.yml"), Path.Combine(directory.ProjectPath, "docker-compose.override.yml")],
            project.ConfigFiles);
    }

    [Fact]
    public void ProfilesEnableServices()
    {
        directory.Write("compose.yaml", """
            services:
              web: {image: x}
              debug: {image: x, profiles: [debug]}
              tools: {image: x, profiles: [tools, debug]}
            """);

        Expect.Sequence(["web"], directory.Load().Services.Keys);
        Expect.Sequence(["debug", "tools", "web"], directory.Load(new ComposeLoadOptions { Profiles = ["debug"] }).Services.Keys);
        Expect.Sequence(["tools", "web"], directory.Load(new ComposeLoadOptions { Profiles = ["tools"] }).Services.Keys);
        directory.Environment["COMPOSE_PROFILES"] = "tools";
        Expect.Sequence(["tools", "web"], directory.Load().Services.Keys);
        Expect.Sequence(["debug", "tools", "web"], directory.Load(new ComposeLoadOptions { Profiles = ["*"] }).Services.Keys);
    }

    [Fact]
    public void ADependencyOnADisabledServiceIsAnError()
    {
        directory.Write("compose.yaml", """
            services:
              web:
                image: x
                depends_on: [debugger]
              debugger: {image: x, profiles: [debug]}
            """);

        Expect.Sequence(
            ["compose.yaml:4:18: services.web.depends_on: service \"debugger\" is not enabled (profiles: debug); enable it with --profile debug"],
            directory.Problems());
        Expect.Sequence(["debugger", "web"], directory.Load(new ComposeLoadOptions { Profiles = ["debug"] }).Services.Keys);
    }

    [Fact]
    public void ProjectNameComesFromFlagThenVariableThenFileThenDirectory()
    {
        directory.Write("compose.yaml", "services:\n  web: {image: x}\n");
        Assert.Equal("web_shop", directory.Load().Name);

        directory.Write("compose.yaml", "name: from-file\nservices:\n  web: {image: x}\n");
        Assert.Equal("from-file", directory.Load().Name);

        directory.Environment["COMPOSE_PROJECT_NAME"] = "from-variable";
        Assert.Equal("from-variable", directory.Load().Name);

        var project = directory.Load(new ComposeLoadOptions { ProjectName = "from-flag" });
        Assert.Equal("from-flag", project.Name);
        Assert.Equal("from-flag_default", project.Networks["default"].Name);
    }

    [Theory]
    [InlineData("Web_Shop", "web_shop")]
    [InlineData("My App (v2)", "myappv2")]
    [InlineData("--odd__", "odd__")]
    [InlineData("über.project", "berproject")]
    public void DirectoryNamesAreNormalized(string directoryName, string expected) =>
        Assert.Equal(expected, ProjectName.Normalize(directoryName));

    [Fact]
    public void AnInvalidExplicitProjectNameIsRefused()
    {
        directory.Write("compose.yaml", "services:\n  web: {image: x}\n");

        var e = Assert.Throws<BerthException>(() => directory.Load(new ComposeLoadOptions { ProjectName = "Bad Name" }));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("invalid project name \"Bad Name\" (-p): use lowercase letters, digits, \"_\" and \"-\", starting with a letter or digit", e.Message);
    }

    [Fact]
    public void MissingFilesAreReported()
    {
        var e = Assert.Throws<BerthException>(() => directory.Load("nope.yml"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal($"compose file {Path.Combine(directory.ProjectPath, "nope.yml")} not found; check the path given with -f", e.Message);
    }
}
