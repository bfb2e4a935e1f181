using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Runtime.Images;
using Berth.Linux.Interop;

namespace Berth.Runtime.IntegrationTests.Images;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ImportAndLoadTests
{
    [RootFact]
    public async Task Import_busybox_rootfs_unpacks_tree_and_config()
    {
        using var fx = new ImageStoreFixture();
        string rootfs = Path.Join(fx.Scratch, "rootfs");
        var applets = BusyboxRootfs.Build(rootfs);
        Assert.Contains("sh", applets);
        string tar = Path.Join(fx.Scratch, "rootfs.tar.gz");
        BusyboxRootfs.Tar(rootfs, tar, gzip: true);

        string id;
        await using (var body = File.OpenRead(tar))
        {
            id = await fx.Store.ImportAsync(body, "bb:latest", ["CMD [\"sh\"]", "ENV A=1", "EXPOSE 80", "WORKDIR /tmp", "LABEL k=v"]);
        }

        var image = fx.Store.Inspect("bb");
        Assert.Equal(id, image.Id);
        Assert.Equal(["bb:latest"], image.RepoTags);
        Assert.Equal(["sh"], image.Config.Config!.Cmd);
        Assert.Equal(["A=1"], image.Config.Config.Env);
        Assert.Equal("/tmp", image.Config.Config.WorkingDir);
        Assert.Equal("v", image.Config.Config.Labels!["k"]);
        Assert.True(image.Config.Config.ExposedPorts!.ContainsKey("80/tcp"));
        Assert.Equal("linux", image.Config.Os);
        Assert.Equal("amd64", image.Config.Architecture);
        Assert.Single(image.LayerDirectories);

        string layer = image.LayerDirectories[0];
        var busybox = new FileInfo(Path.Join(layer, "bin", "busybox"));
        Assert.Equal(new FileInfo(BusyboxRootfs.Busybox).Length, busybox.Length);
        Assert.Equal((UnixFileMode)0b111_101_101, busybox.UnixFileMode);
        Assert.Equal((UnixFileMode)0b1_111_111_111, new DirectoryInfo(Path.Join(layer, "tmp")).UnixFileMode);
        foreach (string applet in new[] { "sh", "ping", "nc", "wget", "ip" })
        {
            Assert.Equal("busybox", new FileInfo(Path.Join(layer, "bin", applet)).LinkTarget);
        }

        // The unpacked tree runs: the layer's busybox answers through its sh symlink.
        Assert.Equal("hi", Cmd.Check(Path.Join(layer, "bin", "sh"), "-c", "echo hi").Trim());
        Assert.Equal(busybox.Length, fx.Store.List().Single().Size - new FileInfo(Path.Join(layer, "etc", "passwd")).Length);

        // The state survives a reopen.
        using (var reopened = fx.Reopen())
        {
            Assert.Equal(id, reopened.Inspect("docker.io/library/bb:latest").Id);
        }

        var missing = Assert.Throws<BerthException>(() => fx.Store.Inspect("foo"));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
        Assert.Equal("No such image: foo:latest", missing.Message);

        await fx.Store.TagAsync("bb", "bb:v2");
        Assert.Equal(["bb:latest", "bb:v2"], fx.Store.List().Single().RepoTags.Order());
        Assert.Equal(id, fx.Store.Inspect(id[7..19]).Id);

        var untag = await fx.Store.RemoveAsync("bb:v2");
        Assert.Equal([new ImageDeleteResult("bb:v2", null)], untag);
        Assert.True(Directory.Exists(layer));

        var deleted = await fx.Store.RemoveAsync("bb:latest");
        Assert.Contains(new ImageDeleteResult("bb:latest", null), deleted);
        Assert.Contains(new ImageDeleteResult(null, id), deleted);
        Assert.False(Directory.Exists(layer));
        Assert.Empty(fx.Store.List());
    }

    [RootFact]
    public async Task Import_with_unknown_change_fails_before_reading()
    {
        using var fx = new ImageStoreFixture();
        var ex = await Assert.ThrowsAsync<BerthException>(() => fx.Store.ImportAsync(Stream.Null, "x:1", ["RUN make"]));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("RUN", ex.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Load_docker_save_with_whiteouts_gives_overlay_ready_layers()
    {
        using var fx = new ImageStoreFixture();
        byte[] layer1 = TarOf(
            Dir("etc/"), FileEntry("etc/a", "deleted later"), FileEntry("etc/b", "kept"),
            Dir("var/"), Dir("var/cache/"), FileEntry("var/cache/old", "hidden by opaque"));
        byte[] layer2 = TarOf(
            Dir("etc/"), FileEntry("etc/.wh.a", ""),
            Dir("var/"), Dir("var/cache/"), FileEntry("var/cache/.wh..wh..opq", ""), FileEntry("var/cache/new", "fresh"));
        string diff1 = Digests.Of(layer1);
        string diff2 = Digests.Of(layer2);
        byte[] config = Encoding.UTF8.GetBytes($$$"""
            {"architecture":"amd64","os":"linux","created":"2024-05-06T07:08:09.123456789Z",
             "config":{"Cmd":["sh"],"Env":["PATH=/bin"],"StopSignal":"SIGQUIT","Healthcheck":{"Test":["CMD","true"],"Interval":1000000000,"Retries":3}},
             "rootfs":{"type":"layers","diff_ids":["{{{diff1}}}","{{{diff2}}}"]},
             "history":[{"created_by":"one"},{"created_by":"two"}]}
            """);
        string configName = Digests.Hex(Digests.Of(config)) + ".json";
        byte[] manifest = Encoding.UTF8.GetBytes($$$"""[{"Config":"{{{configName}}}","RepoTags":["wh:test"],"Layers":["l1/layer.tar","l2/layer.tar"]}]""");
        byte[] archive = TarOf(
            FileEntry("manifest.json", manifest), FileEntry(configName, config),
            Dir("l1/"), FileEntry("l1/layer.tar", layer1),
            Dir("l2/"), FileEntry("l2/layer.tar", Gzip(layer2)),
            FileEntry("repositories", Encoding.UTF8.GetBytes("{}")));

        var loaded = await fx.Store.LoadAsync(new MemoryStream(archive));
        Assert.Equal(["wh:test"], loaded);
        var image = fx.Store.Inspect("wh:test");
        Assert.Equal(Digests.Of(config), image.Id);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234567), image.Created);
        Assert.Equal(3, image.Config.Config!.Healthcheck!.Retries);
        Assert.Equal("SIGQUIT", image.Config.Config.StopSignal);

        string lower1 = image.LayerDirectories[0];
        string lower2 = image.LayerDirectories[1];
        Assert.Equal("character special file 0:0", Cmd.Check("stat", "-c", "%F %t:%T", Path.Join(lower2, "etc", "a")).Trim());
        Assert.False(System.IO.File.Exists(Path.Join(lower2, "etc", ".wh.a")));
        Assert.Equal("y", Xattr(Path.Join(lower2, "var", "cache"), "trusted.overlay.opaque"));
        Assert.Null(Xattr(Path.Join(lower1, "var", "cache"), "trusted.overlay.opaque"));
        Assert.False(System.IO.File.Exists(Path.Join(lower2, "var", "cache", ".wh..wh..opq")));

        string mountpoint = Path.Join(fx.Scratch, "merged");
        Directory.CreateDirectory(mountpoint);
        Cmd.Check("mount", "-t", "overlay", "overlay", "-o", $"lowerdir={lower2}:{lower1}", mountpoint);
        try
        {
            Assert.False(System.IO.File.Exists(Path.Join(mountpoint, "etc", "a")));
            Assert.Equal("kept", await System.IO.File.ReadAllTextAsync(Path.Join(mountpoint, "etc", "b")));
            Assert.Equal(["new"], Directory.EnumerateFileSystemEntries(Path.Join(mountpoint, "var", "cache")).Select(Path.GetFileName));
        }
        finally
        {
            Cmd.Check("umount", mountpoint);
        }

        // Loading again shares everything.
        Assert.Equal(["wh:test"], await fx.Store.LoadAsync(new MemoryStream(archive)));
        Assert.Single(fx.Store.List());
    }

    [RootFact]
    public async Task Load_oci_layout_archive()
    {
        using var fx = new ImageStoreFixture();
        byte[] diff = TarOf(Dir("data/"), FileEntry("data/x", "1"));
        byte[] layer = Gzip(diff);
        byte[] config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["{{{Digests.Of(diff)}}}"]}}""");
        byte[] manifest = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}",
             "config":{"mediaType":"{{{MediaTypes.OciConfig}}}","digest":"{{{Digests.Of(config)}}}","size":{{{config.Length}}}},
             "layers":[{"mediaType":"{{{MediaTypes.OciLayerGzip}}}","digest":"{{{Digests.Of(layer)}}}","size":{{{layer.Length}}}}]}
            """);
        byte[] index = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"manifests":[{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{Digests.Of(manifest)}}}","size":{{{manifest.Length}}},
             "annotations":{"io.containerd.image.name":"docker.io/library/oci:1","org.opencontainers.image.ref.name":"1"}}]}
            """);
        byte[] archive = TarOf(
            FileEntry("oci-layout", Encoding.UTF8.GetBytes("""{"imageLayoutVersion":"1.0.0"}""")), FileEntry("index.json", index),
            FileEntry("blobs/sha256/" + Digests.Hex(Digests.Of(config)), config),
            FileEntry("blobs/sha256/" + Digests.Hex(Digests.Of(manifest)), manifest),
            FileEntry("blobs/sha256/" + Digests.Hex(Digests.Of(layer)), layer));

        Assert.Equal(["oci:1"], await fx.Store.LoadAsync(new MemoryStream(archive)));
        Assert.Equal("1", await System.IO.File.ReadAllTextAsync(Path.Join(fx.Store.Inspect("oci:1").LayerDirectories[0], "data", "x")));
    }

    [RootFact]
    public async Task Load_refuses_layer_escaping_its_root()
    {
        using var fx = new ImageStoreFixture();
        byte[] evil = TarOf(FileEntry("../../escape", "x"));
        byte[] config = Encoding.UTF8.GetBytes($$$"""{"os":"linux","rootfs":{"type":"layers","diff_ids":["{{{Digests.Of(evil)}}}"]}}""");
        byte[] archive = TarOf(
            FileEntry("manifest.json", Encoding.UTF8.GetBytes("""[{"Config":"c.json","RepoTags":["evil:1"],"Layers":["l.tar"]}]""")),
            FileEntry("c.json", config), FileEntry("l.tar", evil));
        var ex = await Assert.ThrowsAsync<BerthException>(() => fx.Store.LoadAsync(new MemoryStream(archive)));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Empty(fx.Store.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(fx.Root, "images", "layers")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(fx.Root, "images", "tmp")));
    }

    [RootFact]
    public async Task Concurrent_imports_share_one_layer_that_outlives_the_first_removal()
    {
        using var fx = new ImageStoreFixture();
        byte[] tar = TarOf(Dir("srv/"), FileEntry("srv/index.html", "hello"));
        string[] ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => fx.Store.ImportAsync(new MemoryStream(tar), $"same:{i}", [$"LABEL n={i}"]))));
        Assert.Equal(6, ids.Distinct().Count());
        Assert.Single(Directory.EnumerateDirectories(Path.Join(fx.Root, "images", "layers")));
        string layer = fx.Store.Inspect("same:0").LayerDirectories[0];

        foreach (int i in Enumerable.Range(0, 5))
        {
            await fx.Store.RemoveAsync($"same:{i}");
            Assert.Equal("hello", await System.IO.File.ReadAllTextAsync(Path.Join(layer, "srv", "index.html")));
        }

        var last = await fx.Store.RemoveAsync("same:5");
        Assert.Contains(new ImageDeleteResult(null, Digests.Of(tar)), last);
        Assert.False(Directory.Exists(layer));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(fx.Root, "images", "blobs", "sha256")));
    }

    [RootFact]
    public async Task Remove_by_id_with_several_tags_needs_force()
    {
        using var fx = new ImageStoreFixture();
        string id = await fx.Store.ImportAsync(new MemoryStream(TarOf(FileEntry("x", "1"))), "a:1", []);
        await fx.Store.TagAsync("a:1", "b:2");
        var conflict = await Assert.ThrowsAsync<BerthException>(() => fx.Store.RemoveAsync(id));
        Assert.Equal(ErrorKind.Conflict, conflict.Kind);
        Assert.Contains("must be forced", conflict.Message, StringComparison.Ordinal);

        var removed = await fx.Store.RemoveAsync(id, force: true);
        Assert.Equal(["a:1", "b:2"], removed.Where(r => r.Untagged is not null).Select(r => r.Untagged!).Order());
        Assert.Empty(fx.Store.List());
        var gone = Assert.Throws<BerthException>(() => fx.Store.Inspect(id));
        Assert.Equal(ErrorKind.NotFound, gone.Kind);
    }

    internal static string? Xattr(string path, string name)
    {
        Span<byte> buffer = stackalloc byte[64];
        nint n = Libc.Lgetxattr(path, name, buffer, (nuint)buffer.Length);
        return n < 0 ? null : Encoding.UTF8.GetString(buffer[..(int)n]);
    }

    internal static TarEntry Dir(string name) => new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 };

    internal static TarEntry FileEntry(string name, string content) => FileEntry(name, Encoding.UTF8.GetBytes(content));

    internal static TarEntry FileEntry(string name, byte[] content) =>
        new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content), Mode = (UnixFileMode)0b110_100_100 };

    internal static byte[] TarOf(params TarEntry[] entries)
    {
        using var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return stream.ToArray();
    }

    internal static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
