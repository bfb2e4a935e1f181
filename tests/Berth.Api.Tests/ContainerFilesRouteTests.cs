using System.Formats.Tar;
using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Api.Containers;
using Berth.Runtime.Files;

namespace Berth.Api.Tests;

/// <summary>The routes of a container's files (cp, diff, export, commit) and <c>container prune</c> over the real socket, a fake engine behind them.</summary>
public sealed class ContainerFilesRouteTests
{
    [Fact]
    public void The_path_stat_header_is_base64_of_mobys_lower_case_json_with_a_go_file_mode()
    {
        var stat = new PathStat("hello", 6, GoFileMode.FromUnix(0x81A4), new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)).AddTicks(5), "");
        string json = Encoding.UTF8.GetString(Convert.FromBase64String(PathStatHeader.Encode(stat)));
        Assert.Equal("""{"name":"hello","size":6,"mode":420,"mtime":"2024-05-06T05:08:09.0000005Z","linkTarget":""}""", json);

        var link = new PathStat("l", 3, GoFileMode.FromUnix(0xA1FF), DateTimeOffset.UnixEpoch, "/etc/passwd");
        Assert.Contains("\"mode\":134218239,", Encoding.UTF8.GetString(Convert.FromBase64String(PathStatHeader.Encode(link))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_and_get_of_the_archive_carry_the_stat_header_and_a_missing_file_is_dockers_404()
    {
        await using var api = await ContainerApiHost.StartAsync();
        await api.CreateAsync("c1");
        api.Engine.Files.Files["/hello"] = "hello\n"u8.ToArray();

        using (var head = await api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1.45/containers/c1/archive?path=/hello")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Contains("\"name\":\"hello\"", Encoding.UTF8.GetString(Convert.FromBase64String(head.Headers.GetValues(PathStatHeader.Name).Single())), StringComparison.Ordinal);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }

        using (var get = await api.Client.GetAsync("/v1.45/containers/c1/archive?path=/hello"))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal("application/x-tar", get.Content.Headers.ContentType!.MediaType);
            Assert.True(get.Headers.Contains(PathStatHeader.Name));
            using var reader = new TarReader(await get.Content.ReadAsStreamAsync());
            var entry = reader.GetNextEntry()!;
            Assert.Equal("hello", entry.Name);
        }

        using (var missing = await api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1.45/containers/c1/archive?path=/nosuch")))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Empty(await missing.Content.ReadAsByteArrayAsync());
        }

        using (var missing = await api.Client.GetAsync("/v1.45/containers/c1/archive?path=/nosuch"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("{\"message\":\"Could not find the file /nosuch in container c1\"}\n", await missing.Content.ReadAsStringAsync());
        }

        using (var noPath = await api.Client.GetAsync("/v1.45/containers/c1/archive"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noPath.StatusCode);
        }
    }

    [Fact]
    public async Task Put_streams_the_body_into_the_engine_with_the_query_flags()
    {
        await using var api = await ContainerApiHost.StartAsync();
        await api.CreateAsync("c1");
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "f") { DataStream = new MemoryStream("x"u8.ToArray()) });
        }

        using var body = new ByteArrayContent(tar.ToArray());
        using var response = await api.Client.PutAsync("/v1.45/containers/c1/archive?path=/tmp&noOverwriteDirNonDir=true&copyUIDGID=1", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("x", Encoding.UTF8.GetString(api.Engine.Files.Files["/tmp/f"]));
        Assert.Equal("extract c1 /tmp noOverwriteDirNonDir=True copyUIDGID=True", Assert.Single(api.Engine.Files.Calls));
    }

    [Fact]
    public async Task Changes_are_path_and_numeric_kind()
    {
        await using var api = await ContainerApiHost.StartAsync();
        await api.CreateAsync("c1");
        api.Engine.Files.Changes.AddRange([new("/tmp", ChangeKind.Modified), new("/tmp/x", ChangeKind.Added), new("/bin/ls", ChangeKind.Deleted)]);
        using var response = await api.Client.GetAsync("/v1.45/containers/c1/changes");
        Assert.Equal("""[{"Path":"/tmp","Kind":0},{"Path":"/tmp/x","Kind":1},{"Path":"/bin/ls","Kind":2}]""" + "\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Commit_takes_repo_tag_history_text_and_repeated_changes_and_answers_201_with_the_id()
    {
        await using var api = await ContainerApiHost.StartAsync();
        await api.CreateAsync("c1");
        string changes = "&changes=" + Uri.EscapeDataString("CMD [\"cat\",\"/hello\"]") + "&changes=" + Uri.EscapeDataString("ENV A=1");
        using var response = await api.Client.PostAsync("/v1.45/commit?container=c1&repo=img&tag=v1&comment=hi&author=me&pause=0" + changes, content: null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("{\"Id\":\"sha256:" + new string('c', 64) + "\"}\n", await response.Content.ReadAsStringAsync());
        Assert.Equal("commit c1 ref=img:v1 comment=hi author=me pause=False changes=CMD [\"cat\",\"/hello\"]|ENV A=1", Assert.Single(api.Engine.Files.Calls));
    }

    [Fact]
    public async Task Prune_removes_stopped_containers_that_match_label_filters_and_answers_dockers_shape()
    {
        await using var api = await ContainerApiHost.StartAsync();
        string labelled = await api.CreateAsync("a", """{"Image":"busy:latest","Labels":{"x":"1"}}""");
        await api.CreateAsync("b", """{"Image":"busy:latest","Labels":{"x":"2"}}""");
        string unlabelled = await api.CreateAsync("c", """{"Image":"busy:latest"}""");
        string running = await api.CreateAsync("d", """{"Image":"busy:latest","Labels":{"x":"1"}}""");
        using (await api.PostAsync($"/v1.45/containers/{running}/start"))
        {
        }

        using (var response = await api.PostAsync("/v1.45/containers/prune?filters=" + Uri.EscapeDataString("""{"label":{"x=1":true}}""")))
        {
            Assert.Equal($"{{\"ContainersDeleted\":[\"{labelled}\"],\"SpaceReclaimed\":1}}\n", await response.Content.ReadAsStringAsync());
        }

        using (var response = await api.PostAsync("/v1.45/containers/prune?filters=" + Uri.EscapeDataString("""{"label!":["x"]}""")))
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal([unlabelled], json.RootElement.GetProperty("ContainersDeleted").EnumerateArray().Select(e => e.GetString()));
        }

        using (var response = await api.PostAsync("/v1.45/containers/prune?filters=" + Uri.EscapeDataString("""{"until":["2000-01-01T00:00:00Z"]}""")))
        {
            Assert.Equal("{\"ContainersDeleted\":null,\"SpaceReclaimed\":0}\n", await response.Content.ReadAsStringAsync());
        }

        using (var response = await api.PostAsync("/v1.45/containers/prune?filters=" + Uri.EscapeDataString("""{"name":["a"]}""")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task Rm_link_goes_to_the_link_removal_with_the_slashed_name()
    {
        await using var api = await ContainerApiHost.StartAsync();
        using var response = await api.Client.DeleteAsync("/v1.45/containers//web/db?link=1");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("rm --link /web/db", api.Engine.Calls);
    }
}
