using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Runtime.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Api.Tests;

/// <summary>The image routes over a real <see cref="ImageStore"/> in a temporary root (plain files only: no root needed).</summary>
public sealed class ImageRouteTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"berth-api-images-{Guid.NewGuid():N}");
    private readonly ImageStore _store;

    public ImageRouteTests()
    {
        _store = new ImageStore(_root, NullLogger<ImageStore>.Instance, LoopbackOnlyHttp.Client());
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static byte[] RootfsTar(string content)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)0b111_101_101 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/hello")
            {
                Mode = (UnixFileMode)0b111_101_101,
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
            });
        }

        return buffer.ToArray();
    }

    private static async Task<string> ImportAsync(TestApiHost host, string repo, string tag, string content, string changes = "CMD [\"sh\"]")
    {
        var body = new ByteArrayContent(RootfsTar(content));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await host.Client.PostAsync(
            $"/v1.45/images/create?fromSrc=-&repo={repo}&tag={tag}&changes={Uri.EscapeDataString(changes)}", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(text);
        string id = json.RootElement.GetProperty("status").GetString()!;
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        return id;
    }

    private static async Task<JsonElement> GetJsonAsync(TestApiHost host, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await host.Client.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task List_shows_dockers_fields_and_filters_in_both_encodings()
    {
        await using var host = await TestApiHost.StartAsync(_store);
        string id = await ImportAsync(host, "bb", "latest", "one", "LABEL tier=base");
        await ImportAsync(host, "other", "1", "two");

        var list = await GetJsonAsync(host, "/v1.45/images/json");
        Assert.Equal(2, list.GetArrayLength());
        var bb = list.EnumerateArray().Single(i => i.GetProperty("Id").GetString() == id);
        Assert.Equal(
            ["Containers", "Created", "Id", "Labels", "ParentId", "RepoDigests", "RepoTags", "SharedSize", "Size"],
            bb.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(-1, bb.GetProperty("Containers").GetInt64());
        Assert.Equal(-1, bb.GetProperty("SharedSize").GetInt64());
        Assert.Equal("""["bb:latest"]""", bb.GetProperty("RepoTags").GetRawText());
        Assert.Equal("""{"tier":"base"}""", bb.GetProperty("Labels").GetRawText());
        Assert.Equal(3, bb.GetProperty("Size").GetInt64());
        Assert.InRange(bb.GetProperty("Created").GetInt64(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);

        string goForm = Uri.EscapeDataString("""{"reference":{"b*":true}}""");
        string pyForm = Uri.EscapeDataString("""{"label": ["tier=base"]}""");
        Assert.Equal(id, (await GetJsonAsync(host, "/v1.45/images/json?filters=" + goForm))[0].GetProperty("Id").GetString());
        Assert.Equal(1, (await GetJsonAsync(host, "/v1.45/images/json?filters=" + goForm)).GetArrayLength());
        Assert.Equal(id, (await GetJsonAsync(host, "/v1.45/images/json?filters=" + pyForm))[0].GetProperty("Id").GetString());
        Assert.Equal(0, (await GetJsonAsync(host, "/v1.45/images/json?filters=" + Uri.EscapeDataString("""{"dangling":["true"]}"""))).GetArrayLength());
        Assert.Equal(1, (await GetJsonAsync(host, "/v1.45/images/json?filters=" + Uri.EscapeDataString("""{"before":["other:1"]}"""))).GetArrayLength());
        var bad = await GetJsonAsync(host, "/v1.45/images/json?filters=" + Uri.EscapeDataString("""{"dangling":["maybe"]}"""), HttpStatusCode.BadRequest);
        Assert.Equal("invalid filter 'dangling=maybe'", bad.GetProperty("message").GetString());

        // Below 1.44 VirtualSize is still there.
        Assert.Equal(3, (await GetJsonAsync(host, "/v1.41/images/json"))[0].GetProperty("VirtualSize").GetInt64());
    }

    [Fact]
    public async Task Tag_as_the_cli_sends_it_then_inspect_history_and_remove()
    {
        await using var host = await TestApiHost.StartAsync(_store);
        string id = await ImportAsync(host, "bb", "latest", "one");

        // docker tag bb:latest bb:v2 and 127.0.0.1:5000/bb:latest: repo arrives normalised.
        using (var tagged = await host.Client.PostAsync("/v1.45/images/bb:latest/tag?repo=docker.io%2Flibrary%2Fbb&tag=v2", null))
        {
            Assert.Equal(HttpStatusCode.Created, tagged.StatusCode);
            Assert.Equal("", await tagged.Content.ReadAsStringAsync());
        }

        using (var tagged = await host.Client.PostAsync("/v1.45/images/bb:v2/tag?repo=127.0.0.1%3A5000%2Fbb&tag=latest", null))
        {
            Assert.Equal(HttpStatusCode.Created, tagged.StatusCode);
        }

        var inspect = await GetJsonAsync(host, "/v1.45/images/127.0.0.1:5000/bb:latest/json");
        Assert.Equal(id, inspect.GetProperty("Id").GetString());
        Assert.Equal("""["bb:latest","bb:v2","127.0.0.1:5000/bb:latest"]""", inspect.GetProperty("RepoTags").GetRawText());
        Assert.Equal("""["sh"]""", inspect.GetProperty("Config").GetProperty("Cmd").GetRawText());
        Assert.Equal("layers", inspect.GetProperty("RootFS").GetProperty("Type").GetString());
        Assert.Matches("^sha256:[0-9a-f]{64}$", inspect.GetProperty("RootFS").GetProperty("Layers")[0].GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$", inspect.GetProperty("Created").GetString());
        Assert.Equal("linux", inspect.GetProperty("Os").GetString());
        Assert.False(inspect.TryGetProperty("ContainerConfig", out _));
        Assert.True((await GetJsonAsync(host, "/v1.41/images/bb:v2/json")).TryGetProperty("ContainerConfig", out _));

        var history = await GetJsonAsync(host, "/v1.45/images/bb:latest/history");
        Assert.Equal(1, history.GetArrayLength());
        Assert.Equal(id, history[0].GetProperty("Id").GetString());
        Assert.Equal("Imported from -", history[0].GetProperty("Comment").GetString());
        Assert.Equal(3, history[0].GetProperty("Size").GetInt64());

        // By id with three references: 409 unless forced.
        using (var conflict = await host.Client.DeleteAsync($"/v1.45/images/{id[7..19]}"))
        {
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
            Assert.Contains("(must be forced) - image is referenced in multiple repositories", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var untag = await host.Client.DeleteAsync("/v1.45/images/bb:v2"))
        {
            Assert.Equal("""[{"Untagged":"bb:v2"}]""" + "\n", await untag.Content.ReadAsStringAsync());
        }

        using (var removed = await host.Client.DeleteAsync($"/v1.45/images/{id[7..19]}?force=1"))
        {
            var items = JsonDocument.Parse(await removed.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("""{"Untagged":"bb:latest"}""", items[0].GetRawText());
            Assert.Equal("""{"Untagged":"127.0.0.1:5000/bb:latest"}""", items[1].GetRawText());
            Assert.Equal(id, items[2].GetProperty("Deleted").GetString());
        }

        var missing = await GetJsonAsync(host, "/v1.45/images/bb:latest/json", HttpStatusCode.NotFound);
        Assert.Equal("No such image: bb:latest", missing.GetProperty("message").GetString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(_root, "images", "layers")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(_root, "images", "tars")));
    }

    // A built image's Config as Docker 20.10 shows it: SHELL, ONBUILD and the parent in Image; what Go omits when empty left out.
    [Fact]
    public async Task Inspect_shows_a_built_images_shell_onbuild_parent_and_omits_empty_fields_as_docker()
    {
        await using var host = await TestApiHost.StartAsync(_store);
        string parent = await ImportAsync(host, "bb", "latest", "one");
        string id = await _store.CommitContainerAsync(
            new ImageCommit(parent, new ContainerConfig
            {
                Shell = ["/bin/sh", "-ec"],
                OnBuild = ["RUN echo triggered"],
                Image = parent,
                Healthcheck = new HealthConfig { Test = ["NONE"] },
            }, "built:1") { CreatedBy = "/bin/sh -ec #(nop)  HEALTHCHECK NONE" },
            (_, _) => Task.FromResult(0));

        var config = (await GetJsonAsync(host, $"/v1.45/images/{id}/json")).GetProperty("Config");
        Assert.Equal("""["/bin/sh","-ec"]""", config.GetProperty("Shell").GetRawText());
        Assert.Equal("""["RUN echo triggered"]""", config.GetProperty("OnBuild").GetRawText());
        Assert.Equal(parent, config.GetProperty("Image").GetString());
        Assert.Equal("""{"Test":["NONE"]}""", config.GetProperty("Healthcheck").GetRawText());
        Assert.False(config.TryGetProperty("ExposedPorts", out _));
        Assert.False((await GetJsonAsync(host, "/v1.45/images/bb:latest/json")).GetProperty("Config").TryGetProperty("Shell", out _));
    }

    [Fact]
    public async Task Save_then_load_gives_the_same_image_back()
    {
        await using var host = await TestApiHost.StartAsync(_store);
        string id = await ImportAsync(host, "bb", "latest", "one");
        byte[] archive = await host.Client.GetByteArrayAsync("/v1.45/images/get?names=bb%3Alatest");
        using (await host.Client.DeleteAsync("/v1.45/images/bb:latest"))
        {
        }

        Assert.Empty(_store.State.Images);

        // Both views of the archive: manifest.json for docker load, index.json for OCI tools.
        var names = new List<string>();
        using (var reader = new TarReader(new MemoryStream(archive)))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                names.Add(entry.Name);
            }
        }

        Assert.Contains("manifest.json", names);
        Assert.Contains("index.json", names);
        Assert.Contains("oci-layout", names);
        Assert.Contains($"blobs/sha256/{id[7..]}", names);

        var body = new ByteArrayContent(archive);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var loaded = await host.Client.PostAsync("/v1.45/images/load?quiet=1", body);
        Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
        Assert.Equal("{\"stream\":\"Loaded image: bb:latest\\n\"}\r\n", await loaded.Content.ReadAsStringAsync());
        Assert.Equal(id, (await GetJsonAsync(host, "/v1.45/images/bb:latest/json")).GetProperty("Id").GetString());
    }

    [Fact]
    public async Task A_bad_archive_is_a_400_and_stores_nothing()
    {
        await using var host = await TestApiHost.StartAsync(_store);
        string id = await ImportAsync(host, "bb", "latest", "one");
        byte[] archive = await host.Client.GetByteArrayAsync($"/v1.45/images/{id}/get");

        // A layer that is not what the config says: the whole load fails and its unpacked layer goes too.
        byte[] corrupt = Rewrite(archive, RootfsTar("tampered"));
        foreach (byte[] bad in new[] { "not a tar at all, just text"u8.ToArray(), corrupt })
        {
            using var _ = await host.Client.DeleteAsync("/v1.45/images/bb:latest?force=1");
            var body = new ByteArrayContent(bad);
            using var response = await host.Client.PostAsync("/v1.45/images/load", body);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
            Assert.Contains("\"message\":", text, StringComparison.Ordinal);
            Assert.Empty(_store.State.Images);
            Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(_root, "images", "layers")));
            Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(_root, "images", "tars")));
        }
    }

    [Fact]
    public async Task Distribution_without_a_registry_is_an_honest_error()
    {
        await using var host = await TestApiHost.StartAsync(_store);
        var error = await GetJsonAsync(host, "/v1.45/distribution/127.0.0.1:1/bb:latest/json", HttpStatusCode.ServiceUnavailable);
        Assert.Contains("127.0.0.1:1", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_asks_the_registry_and_refuses_bodies_that_are_not_an_auth_config()
    {
        await using var host = await TestApiHost.StartAsync(_store);
        var unreachable = await host.PostJsonAsync("/v1.45/auth", """{"username":"u","password":"p","serveraddress":"127.0.0.1:1"}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unreachable.StatusCode);
        Assert.Contains("registry 127.0.0.1:1 is not reachable", await unreachable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (string bad in new[] { "", "{nope", "[1]", "null" })
        {
            var refused = await host.PostJsonAsync("/v1.45/auth", bad);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{bad}: {refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Prune_removes_dangling_images_only_by_default()
    {
        await using var host = await TestApiHost.StartAsync(_store);
        string dangling = await ImportAsync(host, "", "", "one");
        await ImportAsync(host, "bb", "latest", "two");
        using var response = await host.PostJsonAsync("/v1.45/images/prune?filters=" + Uri.EscapeDataString("""{"dangling":{"true":true}}"""), "");
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(dangling, json.GetProperty("ImagesDeleted")[0].GetProperty("Deleted").GetString());
        Assert.Equal(3, json.GetProperty("SpaceReclaimed").GetInt64());
        Assert.Single(_store.State.Images);
    }

    /// <summary>The archive with the manifest replaced by a docker-save manifest naming <paramref name="layer"/> for the config.</summary>
    private static byte[] Rewrite(byte[] archive, byte[] layer)
    {
        using var input = new TarReader(new MemoryStream(archive));
        using var output = new MemoryStream();
        string? config = null;
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            while (input.GetNextEntry(copyData: true) is { } entry)
            {
                if (entry.Name == "manifest.json")
                {
                    using var doc = JsonDocument.Parse(entry.DataStream!);
                    config = doc.RootElement[0].GetProperty("Config").GetString();
                    continue;
                }

                writer.WriteEntry(entry);
            }

            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "evil/layer.tar") { DataStream = new MemoryStream(layer) });
            string manifest = $$"""[{"Config":"{{config}}","RepoTags":["bb:latest"],"Layers":["evil/layer.tar"]}]""";
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest)) });
        }

        return output.ToArray();
    }
}
