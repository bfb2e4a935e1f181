using System.Formats.Tar;
using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// The image commands through the real docker CLI and through berth against berthd in a lab: import, tag, inspect,
/// history, save, rmi, load back and run; removal refused while a container uses the image; berth printing what docker
/// prints; and a pull from a registry running inside the lab.
/// </summary>
public sealed class ImageCommandTests : DaemonTest
{
    /// <summary>Outputs with "N seconds ago" may straddle a second; the same command pair is retried until then.</summary>
    private static readonly TimeSpan SameOutputDeadline = TimeSpan.FromSeconds(10);

    [RootFact]
    public void ImportTagInspectSaveRemoveLoadBackAndRun()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string id = daemon.DockerChecked("image", "inspect", "-f", "{{.Id}}", "bb:latest").Output.Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        Assert.Matches(@"^bb\s+latest\s+" + id[7..19] + @"\s+\S.*ago\s+\d", daemon.DockerChecked("images").Output.Split('\n')[1]);

        daemon.DockerChecked("tag", "bb:latest", "bb:v2");
        Assert.Equal(id + " [\"bb:latest\",\"bb:v2\"] [\"sh\"] layers\n",
            daemon.DockerChecked("image", "inspect", "-f", "{{.Id}} {{json .RepoTags}} {{json .Config.Cmd}} {{.RootFS.Type}}", "bb:v2").Output);
        var history = daemon.DockerChecked("history", "bb:latest").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$", history[0]);
        Assert.Matches("^" + id[7..19] + @"\s+.*ago\s+\S+MB\s+Imported from -$", history[1]);

        string saved = Path.Combine(TestRoot, "bb.tar");
        daemon.DockerChecked("save", "-o", saved, "bb:latest");
        Assert.Contains("manifest.json", TarNames(saved));

        var removed = daemon.DockerChecked("rmi", "bb:latest", "bb:v2").Output;
        Assert.StartsWith("Untagged: bb:latest\nUntagged: bb:v2\nDeleted: " + id + "\n", removed, StringComparison.Ordinal);
        Assert.Equal("", daemon.DockerChecked("images", "-q").Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(daemon.Root, "images", "images", "layers")));

        Assert.Equal("Loaded image: bb:latest\n", daemon.DockerChecked("load", "-i", saved).Output);
        Assert.Equal(id + "\n", daemon.DockerChecked("image", "inspect", "-f", "{{.Id}}", "bb:latest").Output);
        var run = daemon.Docker("run", "--rm", "bb:latest", "sh", "-c", "echo loaded back; exit 5");
        Assert.Equal(5, run.ExitCode);
        Assert.Equal("loaded back\n", run.Output);

        // The same round trip through berth, its archive loaded by docker.
        string bySave = Path.Combine(TestRoot, "berth.tar");
        Check(daemon.BerthCli("save", "-o", bySave, "bb:latest"));
        Assert.StartsWith("Untagged: bb:latest\nDeleted: " + id + "\nDeleted: sha256:", Check(daemon.BerthCli("rmi", "bb:latest")).Output, StringComparison.Ordinal);
        Assert.Equal("Loaded image: bb:latest\n", daemon.DockerChecked("load", "-i", bySave).Output);
        Check(daemon.BerthCli("image", "rm", "bb:latest"));
        Assert.Equal("Loaded image: bb:latest\n", Check(daemon.BerthCli("load", "-i", saved)).Output);
        Assert.Equal(id + "\n", Check(daemon.BerthCli("image", "inspect", "-f", "{{.Id}}", "bb:latest")).Output);

        // A broken archive is refused and leaves nothing.
        string broken = Path.Combine(TestRoot, "broken.tar");
        File.WriteAllText(broken, "this is not an image archive");
        var refused = daemon.Docker("load", "-i", broken);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Error response from daemon: the archive", refused.Error, StringComparison.Ordinal);
        Assert.Single(daemon.DockerChecked("images", "-q").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [RootFact]
    public void RemovingAnImageAContainerUsesIsRefusedUnlessItIsFreed()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string id = daemon.DockerChecked("image", "inspect", "-f", "{{.Id}}", "bb:latest").Output.Trim();
        string container = daemon.DockerChecked("run", "-d", "--name", "user", "bb:latest", "sleep", "300").Output.Trim();

        string expected = $"Error response from daemon: conflict: unable to remove repository reference \"bb:latest\" (must force) - container {container[..12]} is using its referenced image {id[7..19]}\n";
        var docker = daemon.Docker("rmi", "bb:latest");
        Assert.Equal(1, docker.ExitCode);
        Assert.Equal(expected, docker.Error);
        var berth = daemon.BerthCli("rmi", "bb:latest");
        Assert.Equal(1, berth.ExitCode);
        Assert.Equal(expected, berth.Error);

        var byId = daemon.Docker("rmi", "-f", id[7..19]);
        Assert.Equal(1, byId.ExitCode);
        Assert.Contains($"conflict: unable to delete {id[7..19]} (cannot be forced) - image is being used by running container {container[..12]}", byId.Error, StringComparison.Ordinal);
        Assert.Equal("bb:latest\n", daemon.DockerChecked("images", "--format", "{{.Repository}}:{{.Tag}}").Output);
        Assert.Equal("running\n", daemon.DockerChecked("inspect", "-f", "{{.State.Status}}", "user").Output);

        daemon.DockerChecked("rm", "-f", "user");
        Assert.StartsWith("Untagged: bb:latest\nDeleted: " + id, daemon.DockerChecked("rmi", "bb:latest").Output, StringComparison.Ordinal);
    }

    [RootFact]
    public void BerthPrintsTheImageTablesDockerPrints()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("tag", "bb:latest", "bb:v2");
        daemon.DockerChecked("tag", "bb:latest", "tools/bb:1.0");
        string tar = Path.Combine(TestRoot, "busybox.tar");
        daemon.DockerChecked("import", "-c", "LABEL tier=base", tar);

        foreach (string[] args in new[]
        {
            new[] { "images" },
            ["image", "ls", "-a"],
            ["images", "-q"],
            ["images", "--no-trunc"],
            ["images", "--digests"],
            ["images", "bb"],
            ["images", "--filter", "dangling=true"],
            ["images", "--filter", "label=tier=base", "--format", "{{.ID}} {{.Repository}} {{.Tag}} {{.Size}}"],
            ["images", "--format", "table {{.Repository}}\t{{.Tag}}\t{{.CreatedAt}}"],
            ["images", "--format", "{{json .}}"],
            ["image", "inspect", "bb:latest"],
            ["image", "inspect", "-f", "{{.Os}}/{{.Architecture}} {{.Size}} {{index .RootFS.Layers 0}}", "tools/bb:1.0"],
            ["history", "bb:latest"],
            ["history", "--no-trunc", "-H=false", "bb:v2"],
            ["history", "-q", "bb:latest"],
        })
        {
            AssertSameOutput(daemon, args);
        }

        Assert.Equal("Deleted Images:\ndeleted: " + daemon.DockerChecked("images", "-q", "--filter", "dangling=true", "--no-trunc").Output + "\nTotal reclaimed space: 0B\n",
            Check(daemon.BerthCli("image", "prune", "-f")).Output);
        AssertSameOutput(daemon, ["image", "prune", "-f"]);
        Assert.Equal(3, daemon.DockerChecked("images").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);
    }

    [RootFact]
    public async Task PullFromARegistryInTheLabShowsProgressAndRuns()
    {
        using var daemon = StartDaemon();
        string tar = BusyboxImage.BuildTar(TestRoot);
        using var registry = await LabRegistry.StartAsync(DockerHost, tar, Path.Combine(TestRoot, "registry"));
        string name = registry.Address + "/bb:latest";

        var pull = daemon.DockerChecked("pull", name).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("latest: Pulling from bb", pull[0]);
        Assert.Contains(pull, l => l.EndsWith(": Pull complete", StringComparison.Ordinal));
        Assert.Contains("Digest: " + registry.ManifestDigest, pull);
        Assert.Equal("Status: Downloaded newer image for " + name, pull[^2]);
        Assert.Equal(name, pull[^1]);

        Assert.Equal("pulled\n", daemon.DockerChecked("run", "--rm", name, "echo", "pulled").Output);
        Assert.Contains(registry.ManifestDigest, daemon.DockerChecked("images", "--digests").Output, StringComparison.Ordinal);
        var again = Check(daemon.BerthCli("pull", name)).Output;
        Assert.EndsWith("Status: Image is up to date for " + name + "\n" + name + "\n", again, StringComparison.Ordinal);

        var missing = daemon.Docker("pull", registry.Address + "/nosuch:1");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("not found", missing.Error, StringComparison.Ordinal);

        // What `docker service create` and stack deploy ask first: the registry's descriptor.
        using var distribution = JsonDocument.Parse(await GetAsync(daemon, $"/v1.45/distribution/{name}/json"));
        Assert.Equal(registry.ManifestDigest, distribution.RootElement.GetProperty("Descriptor").GetProperty("digest").GetString());
        Assert.Equal("linux", distribution.RootElement.GetProperty("Platforms")[0].GetProperty("os").GetString());
    }

    private static CmdResult Check(CmdResult result)
    {
        Assert.True(result.Succeeded, result.ToString());
        return result;
    }

    private static void AssertSameOutput(Berthd daemon, string[] args)
    {
        CmdResult berth = null!;
        CmdResult docker = null!;
        bool same = Poll.Until(() =>
        {
            docker = daemon.Docker(args);
            berth = daemon.BerthCli(args);
            return docker.Succeeded && berth.Succeeded && docker.Output == berth.Output;
        }, SameOutputDeadline);
        Assert.True(same, $"{string.Join(' ', args)}\n--- docker ---\n{docker}\n--- berth ---\n{berth}");
    }

    private static List<string> TarNames(string path)
    {
        var names = new List<string>();
        using var reader = new TarReader(File.OpenRead(path));
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }

    private static async Task<string> GetAsync(Berthd daemon, string path)
    {
        using var client = DaemonApi.Client(daemon);
        using var response = await client.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return text;
    }
}
