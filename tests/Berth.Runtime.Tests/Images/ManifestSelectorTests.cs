using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

public sealed class ManifestSelectorTests
{
    private static OciDescriptor Entry(string digestChar, string os, string arch, string mediaType = MediaTypes.OciManifest) => new()
    {
        MediaType = mediaType,
        Digest = "sha256:" + new string(digestChar[0], 64),
        Size = 1,
        Platform = new OciPlatform { Os = os, Architecture = arch },
    };

    [Fact]
    public void Chooses_linux_amd64_and_skips_attestations()
    {
        var index = new OciIndex
        {
            Manifests =
            [
                Entry("a", "unknown", "unknown"),
                Entry("b", "linux", "arm64"),
                Entry("c", "windows", "amd64"),
                Entry("d", "linux", "amd64", MediaTypes.DockerManifest),
            ],
        };
        Assert.Equal("sha256:" + new string('d', 64), ManifestSelector.Select(index, "x", "linux", "amd64").Digest);
        Assert.Equal("sha256:" + new string('b', 64), ManifestSelector.Select(index, "x", "linux", "arm64").Digest);
    }

    [Fact]
    public void No_match_is_not_found_and_lists_platforms()
    {
        var index = new OciIndex { Manifests = [Entry("b", "linux", "arm64")] };
        var ex = Assert.Throws<BerthException>(() => ManifestSelector.Select(index, "busybox:latest", "linux", "amd64"));
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Contains("linux/arm64", ex.Message, StringComparison.Ordinal);
        Assert.Contains("busybox:latest", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parses_a_docker_manifest_list()
    {
        const string json = """
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[
              {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","size":527,"platform":{"architecture":"arm","os":"linux","variant":"v7"}},
              {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","size":527,"platform":{"architecture":"amd64","os":"linux"}}]}
            """;
        var index = JsonSerializer.Deserialize(json, ImagesJsonContext.Default.OciIndex)!;
        Assert.True(MediaTypes.IsIndex(index.MediaType));
        Assert.Equal("sha256:" + new string('2', 64), ManifestSelector.Select(index, "x", "linux", "amd64").Digest);
    }

    [Fact]
    public void Parses_bearer_challenge()
    {
        var challenge = AuthChallenge.Parse("Bearer", "realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        Assert.Equal("https://auth.docker.io/token", challenge.Realm);
        Assert.Equal("registry.docker.io", challenge.Service);
        Assert.Equal("repository:library/busybox:pull", challenge.Scope);
    }
}
