using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Berth.Api.Endpoints.Unserved;
using Berth.Api.Hosting;
using Berth.Cluster.Secrets;
using Berth.Fuzzing;
using Berth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Api.Tests;

/// <summary>The API fuzzer knows every route the API maps: a new route without a fuzzer entry fails here.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class FuzzRouteTableTests
{
    [Fact]
    public async Task Every_route_the_API_maps_is_in_the_fuzzer_table()
    {
        string root = Path.Combine(Path.GetTempPath(), $"berth-fuzz-routes-{Guid.NewGuid():N}");
        var images = new Runtime.Images.ImageStore(Path.Combine(root, "images"), NullLogger<Runtime.Images.ImageStore>.Instance);
        using var engine = new FakeContainerEngine(images, root);
        var secrets = new SecretManager(new InMemoryStateStore(), () => SecretSeal.FromManagerSecret(RandomNumberGenerator.GetBytes(32)), TimeProvider.System, NullLogger.Instance);
        var options = new BerthApiOptions { Hosts = [$"unix://{Path.Combine(root, "api.sock")}"], Daemon = new DaemonFacts { DaemonId = "T", HostName = "t" } };
        try
        {
            await using WebApplication app = BerthApi.Build(options, new FakeNetworkService(), engine, images, swarm: null, new Services.FakeServices(), secrets: secrets);
            var mapped = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
                .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method => Key(method, endpoint.RoutePattern.RawText!)))
                .Distinct()
                .ToList();
            Assert.NotEmpty(mapped);
            Assert.Empty(mapped.Except(FuzzerKeys()));
        }
        finally
        {
            images.Dispose();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Routes the test host above does not build (builds, doctor, topology, logs of services) are found in the source.</summary>
    [Fact]
    public void Every_route_literal_in_the_endpoint_sources_is_in_the_fuzzer_table()
    {
        string sources = Path.Combine(RepoRoot(), "src/Berth.Api");
        var mapped = Directory.EnumerateFiles(sources, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains("/Hosting/", StringComparison.Ordinal) && !file.EndsWith("JoinServiceHost.cs", StringComparison.Ordinal) && !file.EndsWith("NodeChannelHost.cs", StringComparison.Ordinal))
            .SelectMany(file => MapCall().Matches(File.ReadAllText(file)))
            .Select(match => Key(match.Groups[1].Value, match.Groups[2].Value))
            .Distinct()
            .ToList();
        Assert.True(mapped.Count > 50, $"only {mapped.Count} Map calls found under {sources}");
        Assert.Empty(mapped.Except(FuzzerKeys()));
    }

    private static HashSet<string> FuzzerKeys() => [.. FuzzRoutes.All.Select(route => Key(route.Method, route.Pattern))];

    private static string Key(string method, string pattern) => UnservedRoutes.Key(method, pattern);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Berth.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("Map(Get|Post|Put|Delete)\\(\"(/[^\"]+)\"")]
    private static partial Regex MapCall();
}
