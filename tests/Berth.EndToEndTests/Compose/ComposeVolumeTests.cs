using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Compose;

/// <summary>
/// Named volumes through <c>berth compose</c> (a compose file on disk, the real CLI): one service writes into the
/// project's volume, another reads it; <c>down</c> keeps the volume and its data for the next <c>up</c>; <c>down -v</c>
/// removes it and the containers' anonymous volumes, never an external volume, which must exist before <c>up</c>.
/// </summary>
public sealed class ComposeVolumeTests : DaemonTest
{
    private const string File =
        "services:\n" +
        "  writer:\n" +
        "    image: bb:latest\n" +
        "    command: [\"sh\", \"-c\", \"echo run >> /data/log\"]\n" +
        "    volumes: [\"data:/data\"]\n" +
        "  reader:\n" +
        "    image: bb:latest\n" +
        "    command: [\"sleep\", \"300\"]\n" +
        "    stop_grace_period: 1s\n" +
        "    depends_on:\n" +
        "      writer: {condition: service_completed_successfully}\n" +
        "    volumes:\n" +
        "      - data:/data:ro\n" +
        "      - {type: volume, source: seed, target: /seed, read_only: true}\n" +
        "      - /scratch\n" +
        "volumes:\n" +
        "  data:\n" +
        "    labels: {tier: test}\n" +
        "  seed:\n" +
        "    external: true\n" +
        "    name: vt-seed\n";

    [RootFact]
    public void NamedVolumesCarryDataBetweenServicesAndAcrossDown()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string directory = Path.Combine(TestRoot, "compose-vt");
        Directory.CreateDirectory(directory);
        string file = Path.Combine(directory, "compose.yml");
        System.IO.File.WriteAllText(file, File);
        string[] project = ["-p", "vt", "-f", file];

        // The external volume must exist first; it is never made by up.
        var missing = daemon.BerthCli(["compose", .. project, "up", "-d"]);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("Volume vt-seed declared as external, but could not be found", missing.Error + missing.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, daemon.Docker("volume", "inspect", "vt-seed").ExitCode);
        daemon.DockerChecked("run", "--rm", "-v", "vt-seed:/x", "bb:latest", "sh", "-c", "echo seeded > /x/seed");

        Compose(daemon, project, "up", "-d");
        Assert.Equal("vt data test",
            daemon.DockerChecked("volume", "inspect", "-f", "{{index .Labels \"com.docker.compose.project\"}} {{index .Labels \"com.docker.compose.volume\"}} {{.Labels.tier}}", "vt_data").Output.Trim());
        Assert.Equal("run", Read(daemon, "/data/log"));
        Assert.Equal("seeded", Read(daemon, "/seed/seed"));
        Assert.NotEqual(0, daemon.Docker("exec", "vt_reader_1", "sh", "-c", "echo x > /data/x").ExitCode);
        string firstScratch = ScratchVolume(daemon);

        // down keeps the named volume: the next up's writer appends to what the first wrote, and the reader sees both.
        Compose(daemon, project, "down");
        Assert.Equal("", daemon.DockerChecked("ps", "-aq", "--filter", "label=com.docker.compose.project=vt").Output.Trim());
        Assert.Equal(Sorted("vt-seed", "vt_data", firstScratch), Volumes(daemon));
        Compose(daemon, project, "up", "-d");
        Assert.Equal("run\nrun", Read(daemon, "/data/log"));
        string secondScratch = ScratchVolume(daemon);
        Assert.NotEqual(firstScratch, secondScratch);

        // down -v removes the project's volume and the containers' anonymous ones; the external volume stays, data intact.
        Compose(daemon, project, "down", "-v");
        Assert.Equal(Sorted("vt-seed", firstScratch), Volumes(daemon));
        Assert.Equal("seeded", daemon.DockerChecked("run", "--rm", "-v", "vt-seed:/x", "bb:latest", "cat", "/x/seed").Output.Trim());
        daemon.DockerChecked("volume", "rm", "vt-seed", firstScratch);
        Assert.Empty(Volumes(daemon));
        daemon.Stop();
    }

    private static string Read(Berthd daemon, string path) => daemon.DockerChecked("exec", "vt_reader_1", "cat", path).Output.Trim();

    /// <summary>The anonymous volume mounted at the reader's /scratch.</summary>
    private static string ScratchVolume(Berthd daemon)
    {
        string name = daemon.DockerChecked("inspect", "-f", "{{range .Mounts}}{{if eq .Destination \"/scratch\"}}{{.Type}} {{.Name}}{{end}}{{end}}", "vt_reader_1").Output.Trim();
        Assert.Matches("^volume [0-9a-f]{64}$", name);
        return name["volume ".Length..];
    }

    private static string[] Volumes(Berthd daemon) =>
        Sorted(daemon.DockerChecked("volume", "ls", "-q").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    private static string[] Sorted(params string[] names) => [.. names.Order(StringComparer.Ordinal)];

    private static string Compose(Berthd daemon, string[] project, params string[] command)
    {
        var result = daemon.BerthCli(["compose", .. project, .. command]);
        Assert.True(result.ExitCode == 0, $"berth compose {string.Join(' ', command)} failed:\n{result}\n{daemon.Log}");
        return result.Output;
    }
}
