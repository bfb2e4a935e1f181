using System.Collections.Immutable;
using Berth.Compose.Model;

namespace Berth.Cli.Tests.Compose;

/// <summary>The guide's frontnet/backnet project as the loader would hand it over.</summary>
internal static class GuideProjects
{
    public static ComposeProject FrontBack(string name = "app") => new()
    {
        Name = name,
        WorkingDirectory = "/srv/app",
        ConfigFiles = ["/srv/app/docker-compose.yml"],
        Services = new Dictionary<string, ComposeService>
        {
            ["fe"] = new()
            {
                Name = "fe",
                Image = "nginx:alpine",
                Ports = [new ComposePort(80, "8080")],
                Networks = [new ServiceNetwork("frontnet"), new ServiceNetwork("backnet") { Aliases = ["web"] }],
            },
            ["api"] = new()
            {
                Name = "api",
                Image = "myorg/api:1.0",
                Networks = [new ServiceNetwork("backnet")],
                DependsOn = [new ServiceDependency("db", DependencyCondition.Healthy)],
            },
            ["db"] = new()
            {
                Name = "db",
                Image = "postgres:15",
                Networks = [new ServiceNetwork("backnet")],
                Healthcheck = new ComposeHealthcheck { Test = ["CMD-SHELL", "pg_isready -U postgres || exit 1"], Interval = TimeSpan.FromSeconds(5), Retries = 12 },
            },
        }.ToImmutableSortedDictionary(StringComparer.Ordinal),
        Networks = new Dictionary<string, ComposeNetwork>
        {
            ["frontnet"] = new() { Key = "frontnet", Name = name + "_frontnet" },
            ["backnet"] = new() { Key = "backnet", Name = name + "_backnet" },
        }.ToImmutableSortedDictionary(StringComparer.Ordinal),
    };

    public static ComposeProject With(this ComposeProject project, ComposeService service) =>
        project with { Services = project.Services.SetItem(service.Name, service) };
}
