using System.Text;
using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Runtime.Images;

namespace Berth.Runtime.IntegrationTests.Images;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RegistryPullTests
{
    private const string Repository = "test/busybox";

    /// <summary>The busybox image pushed as a schema2 manifest (tag 1) and an OCI index (tag multi: arm64 → schema2, amd64 → OCI manifest).</summary>
    private sealed record Pushed(string ImageId, string DockerManifestDigest, string OciManifestDigest, string LayerDigest, string IndexDigest);

    private static async Task<Pushed> PushBusyboxAsync(LocalRegistry registry, string scratch)
    {
        string rootfs = Path.Join(scratch, "rootfs");
        BusyboxRootfs.Build(rootfs);
        string tarPath = Path.Join(scratch, "rootfs.tar");
        BusyboxRootfs.Tar(rootfs, tarPath);
        byte[] tar = await File.ReadAllBytesAsync(tarPath);
        byte[] layer = ImportAndLoadTests.Gzip(tar);
        byte[] config = Encoding.UTF8.GetBytes($$$"""
            {"architecture":"amd64","os":"linux","created":"2025-01-02T03:04:05.000000001Z",
             "config":{"Cmd":["sh"],"Env":["PATH=/bin"]},
             "rootfs":{"type":"layers","diff_ids":["{{{Digests.Of(tar)}}}"]},
             "history":[{"created_by":"test"}]}
            """);
        string layerDigest = await registry.PushBlobAsync(Repository, layer);
        string configDigest = await registry.PushBlobAsync(Repository, config);

        byte[] docker = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.DockerManifest}}}",
             "config":{"mediaType":"{{{MediaTypes.DockerConfig}}}","size":{{{config.Length}}},"digest":"{{{configDigest}}}"},
             "layers":[{"mediaType":"{{{MediaTypes.DockerLayerGzip}}}","size":{{{layer.Length}}},"digest":"{{{layerDigest}}}"}]}
            """);
        byte[] oci = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}",
             "config":{"mediaType":"{{{MediaTypes.OciConfig}}}","size":{{{config.Length}}},"digest":"{{{configDigest}}}"},
             "layers":[{"mediaType":"{{{MediaTypes.OciLayerGzip}}}","size":{{{layer.Length}}},"digest":"{{{layerDigest}}}"}]}
            """);
        string dockerDigest = await registry.PushManifestAsync(Repository, "1", docker, MediaTypes.DockerManifest);
        string ociDigest = await registry.PushManifestAsync(Repository, "oci", oci, MediaTypes.OciManifest);
        byte[] index = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[
              {"mediaType":"{{{MediaTypes.DockerManifest}}}","size":{{{docker.Length}}},"digest":"{{{dockerDigest}}}","platform":{"architecture":"arm64","os":"linux"}},
              {"mediaType":"{{{MediaTypes.OciManifest}}}","size":{{{oci.Length}}},"digest":"{{{ociDigest}}}","platform":{"architecture":"amd64","os":"linux"}}]}
            """);
        string indexDigest = await registry.PushManifestAsync(Repository, "multi", index, MediaTypes.OciIndex);
        return new Pushed(configDigest, dockerDigest, ociDigest, layerDigest, indexDigest);
    }

    [RootFact]
    public async Task Pull_from_loopback_registry_schema2_and_index()
    {
        using var fx = new ImageStoreFixture();
        using var registry = await LocalRegistry.StartAsync();
        var pushed = await PushBusyboxAsync(registry, fx.Scratch);

        var progress = new RecordingProgress();
        string reference = $"{registry.Address}/{Repository}:1";
        string id = await fx.Store.PullAsync(reference, progress);
        Assert.Equal(pushed.ImageId, id);

        var image = fx.Store.Inspect(reference);
        Assert.Equal([reference], image.RepoTags);
        Assert.Equal(["sh"], image.Config.Config!.Cmd);
        string layer = Assert.Single(image.LayerDirectories);
        Assert.Equal("busybox", new FileInfo(Path.Join(layer, "bin", "sh")).LinkTarget);
        Assert.Equal("ok", Cmd.Check(Path.Join(layer, "bin", "sh"), "-c", "echo ok").Trim());
        var statuses = progress.Events.Select(e => e.Status).ToList();
        Assert.Contains("Pull complete", statuses);
        Assert.Contains($"Digest: {pushed.DockerManifestDigest}", statuses);
        Assert.Contains($"Status: Downloaded newer image for {reference}", statuses);

        var again = new RecordingProgress();
        await fx.Store.PullAsync(reference, again);
        Assert.Contains($"Status: Image is up to date for {reference}", again.Events.Select(e => e.Status));

        // The index resolves to the amd64 (OCI) manifest; the layer is already there. As Docker does, the digest reported
        // and recorded is the index's, what the tag points at.
        var second = new RecordingProgress();
        Assert.Equal(id, await fx.Store.PullAsync($"{registry.Address}/{Repository}:multi", second));
        var secondStatuses = second.Events.Select(e => e.Status).ToList();
        Assert.Contains($"Digest: {pushed.IndexDigest}", secondStatuses);
        Assert.Contains($"{registry.Address}/{Repository}@{pushed.IndexDigest}", fx.Store.Inspect(id).RepoDigests);
        Assert.Contains("Already exists", secondStatuses);
        Assert.DoesNotContain("Downloading", secondStatuses);
        Assert.Equal(2, fx.Store.List().Single().RepoTags.Count);

        // By digest too.
        Assert.Equal(id, await fx.Store.PullAsync($"{registry.Address}/{Repository}@{pushed.OciManifestDigest}"));

        var missing = await Assert.ThrowsAsync<BerthException>(() => fx.Store.PullAsync($"{registry.Address}/{Repository}:nope"));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
    }

    [RootFact]
    public async Task Pull_with_basic_auth()
    {
        using var fx = new ImageStoreFixture();
        var credentials = new RegistryCredentials("berth", "s3cret-pw");
        using var registry = await LocalRegistry.StartAsync(credentials);
        var pushed = await PushBusyboxAsync(registry, fx.Scratch);
        string reference = $"{registry.Address}/{Repository}:1";

        var denied = await Assert.ThrowsAsync<BerthException>(() => fx.Store.PullAsync(reference));
        Assert.Equal(ErrorKind.Forbidden, denied.Kind);
        Assert.Contains("pull access denied", denied.Message, StringComparison.Ordinal);

        var wrong = await Assert.ThrowsAsync<BerthException>(() => fx.Store.PullAsync(reference, null, credentials with { Password = "nope" }));
        Assert.Equal(ErrorKind.Forbidden, wrong.Kind);

        Assert.Equal(pushed.ImageId, await fx.Store.PullAsync(reference, null, credentials));
    }
}
