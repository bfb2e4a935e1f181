using System.Text.RegularExpressions;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// pause/unpause, update, top, stats, diff, export, commit and cp in Berth's CLI against berthd, each compared with what the
/// real docker CLI prints for the same thing where that is deterministic, and cp round-tripping a tree byte for byte.
/// </summary>
public sealed partial class BerthContainerCommandTests
{
    [RootFact]
    public void PauseUpdateTopStatsDiffExportAndCommitPrintWhatDockerPrints()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        Check(daemon.BerthCli("run", "-d", "--name", "c1", "bb:latest", "sleep", "300"));

        // pause/unpause: the names, then every error, exit 1 when one failed. Each side starts from the same state.
        var berthPause = daemon.BerthCli("pause", "c1", "nosuch");
        Assert.Equal("paused", daemon.DockerChecked("inspect", "-f", "{{.State.Status}}", "c1").Output.Trim());
        daemon.DockerChecked("unpause", "c1");
        AssertSame(daemon.Docker("pause", "c1", "nosuch"), berthPause);
        AssertSame(daemon.Docker("pause", "c1"), daemon.BerthCli("container", "pause", "c1"));
        var berthUnpause = daemon.BerthCli("unpause", "c1", "nosuch");
        daemon.DockerChecked("pause", "c1");
        AssertSame(daemon.Docker("unpause", "c1", "nosuch"), berthUnpause);
        Assert.Equal("running", daemon.DockerChecked("inspect", "-f", "{{.State.Status}}", "c1").Output.Trim());

        // update: applied as docker applies it; the same output and errors.
        string[] update = ["update", "--cpus", "0.5", "-m", "64m", "--memory-swap", "128m", "--pids-limit", "50", "--restart", "on-failure:2", "c1", "nosuch"];
        AssertSame(daemon.Docker(update), daemon.BerthCli(update));
        Assert.Equal("500000000 67108864 134217728 50 on-failure 2\n",
            daemon.DockerChecked("inspect", "-f", "{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}", "c1").Output);
        AssertSame(daemon.Docker("update", "c1"), daemon.BerthCli("update", "c1"));
        var badUnit = daemon.BerthCli("container", "update", "-m", "64x", "c1");
        Assert.Equal(125, badUnit.ExitCode);
        Assert.Equal(daemon.Docker("update", "-m", "64x", "c1").Error.Split('\n')[0], badUnit.Error.Split('\n')[0]);

        // top: docker's table; with fixed columns the whole of it.
        Assert.Equal(daemon.DockerChecked("top", "c1").Output.Split('\n')[0], Check(daemon.BerthCli("top", "c1")).Output.Split('\n')[0]);
        AssertSame(daemon.Docker("top", "c1", "-o", "pid,comm"), daemon.BerthCli("top", "c1", "-o", "pid,comm"));
        AssertSame(daemon.Docker("top", "nosuch"), daemon.BerthCli("top", "nosuch"));

        // stats: fixed fields equal; the default table's header and shape.
        foreach (string[] args in new[]
        {
            new[] { "stats", "--no-stream", "--format", "{{.Container}} {{.Name}} {{.ID}} {{.PIDs}}", "c1" },
            ["stats", "--no-stream", "--no-trunc", "--format", "table {{.Name}}\t{{.ID}}\t{{.PIDs}}"],
            ["stats", "--no-stream", "-a", "--format", "{{.Name}}: {{.PIDs}}"],
            ["stats", "--no-stream", "nosuch", "c1"],
        })
        {
            AssertSame(daemon.Docker(args), daemon.BerthCli(args));
        }

        var table = Check(daemon.BerthCli("stats", "--no-stream")).Output.Split('\n');
        Assert.Equal(daemon.DockerChecked("stats", "--no-stream").Output.Split('\n')[0], table[0]);
        Assert.Matches(@"^[0-9a-f]{12}   c1 +\d+\.\d\d% +[\d.]+(B|KiB|MiB) / 64MiB +\d+\.\d\d% +[\d.]+k?B / [\d.]+k?B +[\d.]+k?B / [\d.]+k?B +1$", table[1]);

        // Streaming redraws in place until interrupted.
        var streaming = Exec.Run(new Dictionary<string, string> { ["BERTH_HOST"] = daemon.Host }, "timeout", "-s", "INT", "3", RepoPaths.Berth, "stats", "c1");
        Assert.True(Regex.Count(streaming.Output, "\u001b\\[H") >= 2, "stats did not redraw: " + streaming);
        Assert.Contains("\u001b[K\n", streaming.Output, StringComparison.Ordinal);

        // diff after changes; export's listing; commit then run the image.
        Check(daemon.BerthCli("exec", "c1", "sh", "-c", "echo hello > /hello; mkdir /tmp/d; rm /bin/zcat"));
        AssertSame(daemon.Docker("diff", "c1"), daemon.BerthCli("diff", "c1"));
        Assert.Equal("C /bin\nD /bin/zcat\nA /hello\nC /tmp\nA /tmp/d\n", daemon.BerthCli("diff", "c1").Output);
        string berthTar = Path.Combine(TestRoot, "berth-export.tar"), dockerTar = Path.Combine(TestRoot, "docker-export.tar");
        Check(daemon.BerthCli("export", "-o", berthTar, "c1"));
        daemon.DockerChecked("export", "-o", dockerTar, "c1");
        Assert.Equal(Cmd.Check("tar", "tvf", dockerTar), Cmd.Check("tar", "tvf", berthTar));
        Assert.Contains("hello", Cmd.Check("tar", "tf", berthTar), StringComparison.Ordinal);

        string imageId = Check(daemon.BerthCli("commit", "-m", "msg", "-a", "me", "-c", "CMD [\"cat\",\"/hello\"]", "c1", "mine:v1")).Output.Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", imageId);
        Assert.Equal(imageId + " msg me\n", daemon.DockerChecked("image", "inspect", "-f", "{{.Id}} {{.Comment}} {{.Author}}", "mine:v1").Output);
        Assert.Matches("^sha256:[0-9a-f]{64}\n$", daemon.DockerChecked("commit", "c1", "theirs:v1").Output);
        Assert.Equal("hello\n", Check(daemon.BerthCli("run", "--rm", "mine:v1")).Output);
        AssertSame(daemon.Docker("commit", "c1", "BAD"), daemon.BerthCli("commit", "c1", "BAD"));
        AssertSame(daemon.Docker("commit", "nosuch"), daemon.BerthCli("container", "commit", "nosuch"));
    }

    [RootFact]
    public void CpRoundTripsATreeWithSymlinksByteExactLikeDocker()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        Check(daemon.BerthCli("run", "-d", "--name", "c1", "bb:latest", "sleep", "300"));
        string source = Path.Combine(TestRoot, "src");
        string tree = Path.Combine(source, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "sub", "deeper"));
        File.WriteAllText(Path.Combine(tree, "a.txt"), "hello\n");
        File.WriteAllBytes(Path.Combine(tree, "sub", "bin"), [.. Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31 % 251))]);
        File.WriteAllText(Path.Combine(tree, "sub", "deeper", "secret"), "s");
        File.SetUnixFileMode(Path.Combine(tree, "sub", "deeper", "secret"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(Path.Combine(tree, "sub"), (UnixFileMode)0x1E9); // 0751
        File.CreateSymbolicLink(Path.Combine(tree, "link"), "a.txt");
        File.CreateSymbolicLink(Path.Combine(tree, "sub", "up"), "../a.txt");
        File.CreateSymbolicLink(Path.Combine(tree, "abs"), "/etc/hostname");

        // Into the container: the same tree as docker's copy of it.
        Check(daemon.BerthCli("cp", tree, "c1:/tmp/bt"));
        daemon.DockerChecked("cp", tree, "c1:/tmp/dt");
        const string Listing = "cd /tmp/{0} && find . | sort && ls -lnR --full-time . && md5sum sub/bin a.txt";
        Assert.Equal(
            daemon.DockerChecked("exec", "c1", "sh", "-c", string.Format(System.Globalization.CultureInfo.InvariantCulture, Listing, "dt")).Output,
            Check(daemon.BerthCli("exec", "c1", "sh", "-c", string.Format(System.Globalization.CultureInfo.InvariantCulture, Listing, "bt"))).Output);

        // Back out: byte-exact against the source, and the same as docker's copy out.
        string berthOut = Path.Combine(TestRoot, "berth-out"), dockerOut = Path.Combine(TestRoot, "docker-out");
        Directory.CreateDirectory(berthOut);
        Directory.CreateDirectory(dockerOut);
        Check(daemon.BerthCli("cp", "c1:/tmp/bt", berthOut + "/tree"));
        daemon.DockerChecked("cp", "c1:/tmp/bt", dockerOut + "/tree");
        Assert.Equal(Snapshot(tree), Snapshot(Path.Combine(berthOut, "tree")));
        Assert.Equal(Snapshot(Path.Combine(dockerOut, "tree")), Snapshot(Path.Combine(berthOut, "tree")));

        // Tar streams both ways: the archive on stdout is the daemon's; stdin's archive lands in a directory.
        var env = new Dictionary<string, string> { ["BERTH_HOST"] = daemon.Host, ["DOCKER_HOST"] = daemon.Host };
        Assert.Equal(
            Exec.Run(env, "sh", "-c", $"{RepoPaths.DockerCli} cp c1:/tmp/bt - | sha256sum").Output,
            Exec.Run(env, "sh", "-c", $"{RepoPaths.Berth} cp c1:/tmp/bt - | sha256sum").Output);
        var fromStdin = Exec.Run(env, "sh", "-c", $"tar -C {source} -cf - tree | {RepoPaths.Berth} cp - c1:/tmp");
        Assert.True(fromStdin.Succeeded, fromStdin.ToString());
        Assert.Equal("hello\n", Check(daemon.BerthCli("exec", "c1", "cat", "/tmp/tree/link")).Output);

        // A file onto a file and to a new name; the errors docker prints.
        Check(daemon.BerthCli("cp", Path.Combine(tree, "a.txt"), "c1:/tmp/bt/sub/bin"));
        Assert.Equal("hello\n", Check(daemon.BerthCli("exec", "c1", "cat", "/tmp/bt/sub/bin")).Output);
        Check(daemon.BerthCli("cp", "-L", "c1:/tmp/bt/link", berthOut + "/followed"));
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(berthOut, "followed")));
        AssertSame(daemon.Docker("cp", Path.Combine(source, "nope"), "c1:/tmp"), daemon.BerthCli("cp", Path.Combine(source, "nope"), "c1:/tmp"));
        AssertSame(daemon.Docker("cp", "c1:/nope", berthOut), daemon.BerthCli("cp", "c1:/nope", berthOut));
        AssertSame(daemon.Docker("cp", tree, "c1:/tmp/bt/a.txt"), daemon.BerthCli("cp", tree, "c1:/tmp/bt/a.txt"), onlyLastLine: true);
        AssertSame(daemon.Docker("cp", "c1:/a", "c1:/b"), daemon.BerthCli("cp", "c1:/a", "c1:/b"));
        AssertSame(daemon.Docker("cp", "-", "c1:/tmp/bt/a.txt"), daemon.BerthCli("cp", "-", "c1:/tmp/bt/a.txt"));
    }

    /// <summary>Every entry below <paramref name="root"/>: path, type, mode, link target, size, content hash and mtime to the second.</summary>
    private static string Snapshot(string root) =>
        Cmd.Check("sh", "-c", $"cd '{root}' && find . -mindepth 1 -printf '%P %y %m %l %s %TY-%Tm-%Td %TH:%TM:%TS\\n' | sed 's/\\.[0-9]*$//' | sort && find . -type f -exec md5sum {{}} + | sort");

    /// <summary>Exit code, stdout and stderr as docker's, the program's name aside.</summary>
    private static void AssertSame(CmdResult docker, CmdResult berth, bool onlyLastLine = false)
    {
        static string Normal(string text, bool last) =>
            (last ? text.TrimEnd('\n').Split('\n')[^1] : text).Replace("docker", "berth", StringComparison.Ordinal);
        Assert.True(
            (docker.ExitCode, docker.Output, Normal(docker.Error, onlyLastLine)) == (berth.ExitCode, berth.Output, Normal(berth.Error, onlyLastLine)),
            $"berth differs from docker\n{berth}\n{docker}");
    }
}
