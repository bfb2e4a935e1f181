using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// Log drivers with the real CLI: json-file in Docker's on-disk format with rotation and gzip, local, none, Docker's
/// messages for bad options, the daemon's default, and no line lost while berthd is killed and started again.
/// </summary>
public sealed class LogDriverTests : DaemonTest
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>A shell loop printing <c>lineN</c> for N from 0 up to <paramref name="count"/>, every <paramref name="pause"/> seconds.</summary>
    private static string Lines(int count, string pause = "0") =>
        $"i=0; while [ $i -lt {count} ]; do echo line$i; i=$((i+1)); [ {pause} = 0 ] || sleep {pause}; done";

    [RootFact]
    public void JsonFileRotatesIntoDockersFormatAndLogsReadAcrossTheRotatedFiles()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        daemon.DockerChecked("run", "-d", "--name", "rot", "--log-opt", "max-size=1k", "--log-opt", "max-file=2", "bb:latest", "sh", "-c", Lines(300));
        Assert.Equal("0", daemon.DockerChecked("wait", "rot").Output.Trim());
        Assert.Equal("json-file map[max-file:2 max-size:1k]", daemon.DockerChecked("inspect", "-f", "{{.HostConfig.LogConfig.Type}} {{.HostConfig.LogConfig.Config}}", "rot").Output.Trim());

        // At most two files, each of json-file objects; the path is inspect's LogPath.
        string logPath = daemon.DockerChecked("inspect", "-f", "{{.LogPath}}", "rot").Output.Trim();
        string[] files = [.. Directory.GetFiles(Path.GetDirectoryName(logPath)!, Path.GetFileName(logPath) + "*").Order(StringComparer.Ordinal)];
        Assert.Equal([logPath, logPath + ".1"], files);
        foreach (string line in files.SelectMany(File.ReadLines))
        {
            using var json = JsonDocument.Parse(line);
            Assert.Matches(@"^line\d+\n$", json.RootElement.GetProperty("log").GetString());
            Assert.Equal("stdout", json.RootElement.GetProperty("stream").GetString());
            Assert.True(DateTimeOffset.TryParse(json.RootElement.GetProperty("time").GetString(), CultureInfo.InvariantCulture, out _));
        }

        // docker logs: the newest lines, consecutive across the rotated file and the current one.
        string[] shown = daemon.DockerChecked("logs", "rot").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int first = int.Parse(shown[0]["line".Length..], CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range(first, 300 - first).Select(i => $"line{i}"), shown);
        Assert.True(first > 0 && shown.Length > File.ReadLines(logPath).Count(), $"logs showed {shown.Length} lines from line{first}");
        Assert.Equal("line297\nline298\nline299\n", daemon.DockerChecked("logs", "--tail", "3", "rot").Output);

        // compress=true: the rotated files are gzips of json-file lines, and docker logs reads them too.
        daemon.DockerChecked("run", "-d", "--name", "gz", "--log-opt", "max-size=1k", "--log-opt", "max-file=3", "--log-opt", "compress=true", "bb:latest", "sh", "-c", Lines(300));
        Assert.Equal("0", daemon.DockerChecked("wait", "gz").Output.Trim());
        string gzLog = daemon.DockerChecked("inspect", "-f", "{{.LogPath}}", "gz").Output.Trim();
        Assert.True(File.Exists(gzLog + ".1.gz") && File.Exists(gzLog + ".2.gz"), "no gzip after rotation: " + string.Join(' ', Directory.GetFiles(Path.GetDirectoryName(gzLog)!)));
        Assert.False(File.Exists(gzLog + ".3.gz"));
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(gzLog + ".2.gz"), CompressionMode.Decompress)))
        {
            using var json = JsonDocument.Parse(reader.ReadLine()!);
            Assert.Matches(@"^line\d+\n$", json.RootElement.GetProperty("log").GetString());
        }

        string[] gzShown = daemon.DockerChecked("logs", "gz").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line299", gzShown[^1]);
        Assert.True(gzShown.Length > 2 * File.ReadLines(gzLog).Count(), $"logs of gz showed only {gzShown.Length} lines");

        // Bad options: Docker's words, a 4xx (the CLI exits 125).
        AssertRefused(daemon, "unknown log opt 'x' for json-file log driver", "--log-opt", "x=1");
        AssertRefused(daemon, "invalid size: 'abc'", "--log-opt", "max-size=abc");
        AssertRefused(daemon, "max-file cannot be less than 1", "--log-opt", "max-file=0");
        AssertRefused(daemon, "compress cannot be true when max-file is less than 2 or max-size is not set", "--log-opt", "compress=true");
        AssertRefused(daemon, "unknown log opt 'x' for log driver local", "--log-driver", "local", "--log-opt", "x=1");
        AssertRefused(daemon, "logger: no log driver named 'nosuch' is registered", "--log-driver", "nosuch");
        AssertRefused(daemon, "log driver \"syslog\" is not supported by Berth", "--log-driver", "syslog");
        daemon.DockerChecked("rm", "rot", "gz");
    }

    [RootFact]
    public void LocalAsTheDaemonsDefaultAndNoneWhichKeepsNothingButStillAttaches()
    {
        using var daemon = StartDaemon("--log-driver", "local", "--log-opt", "max-size=2k");
        BusyboxImage.Import(daemon, TestRoot);
        Assert.Equal("local", daemon.DockerChecked("info", "-f", "{{.LoggingDriver}}").Output.Trim());

        daemon.DockerChecked("run", "-d", "--name", "loc", "bb:latest", "sh", "-c", Lines(200) + "; echo last >&2");
        Assert.Equal("0", daemon.DockerChecked("wait", "loc").Output.Trim());
        Assert.Equal("local map[max-size:2k]", daemon.DockerChecked("inspect", "-f", "{{.HostConfig.LogConfig.Type}} {{.HostConfig.LogConfig.Config}}", "loc").Output.Trim());
        Assert.Equal("", daemon.DockerChecked("inspect", "-f", "{{.LogPath}}", "loc").Output.Trim());
        var tail = daemon.DockerChecked("logs", "--tail", "3", "loc");
        Assert.Equal(("line198\nline199\n", "last\n"), (tail.Output, tail.Error));
        string local = Path.Combine(daemon.Root, "containers", daemon.DockerChecked("inspect", "-f", "{{.Id}}", "loc").Output.Trim(), "local-logs");
        Assert.True(File.Exists(Path.Combine(local, "container.log.1.gz")), "local did not rotate and compress at 2k: " + string.Join(' ', Directory.GetFiles(local)));

        // none: an attached run still prints; docker logs refuses with Docker's message.
        var run = daemon.Docker("run", "--name", "quiet", "--log-driver", "none", "bb:latest", "sh", "-c", "echo hello; echo there >&2");
        Assert.Equal((0, "hello\n", "there\n"), (run.ExitCode, run.Output, run.Error));
        var logs = daemon.Docker("logs", "quiet");
        Assert.NotEqual(0, logs.ExitCode);
        Assert.Contains("configured logging driver does not support reading", logs.Error, StringComparison.Ordinal);
        Assert.Equal("", daemon.DockerChecked("inspect", "-f", "{{.LogPath}}", "quiet").Output.Trim());
        daemon.DockerChecked("rm", "loc", "quiet");
    }

    [RootFact]
    public void NoLineIsLostWhileBerthdIsKilledAndStartedAgain()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("run", "-d", "--name", "steady", "--log-opt", "max-size=1k", "--log-opt", "max-file=20", "bb:latest", "sh", "-c", Lines(60, "0.1"));
        Assert.True(Poll.Until(() => daemon.Docker("logs", "steady").Output.Contains("line5\n", StringComparison.Ordinal), Deadline), "no output before the kill");

        // The container keeps printing into conmon's file while no berthd runs.
        string wire = Path.Combine(daemon.Root, "containers", daemon.DockerChecked("inspect", "-f", "{{.Id}}", "steady").Output.Trim(), "container.log");
        daemon.Kill();
        Assert.True(Poll.Until(() => File.ReadAllText(wire).Contains(" line30\n", StringComparison.Ordinal), Deadline), "the container stopped printing");
        var again = Restart(daemon);

        Assert.Equal("0", again.DockerChecked("wait", "steady").Output.Trim());
        Assert.Equal(string.Concat(Enumerable.Range(0, 60).Select(i => $"line{i}\n")), again.DockerChecked("logs", "steady").Output);
        again.DockerChecked("rm", "steady");
    }

    private static void AssertRefused(Berthd daemon, string message, params string[] options)
    {
        var result = daemon.Docker(["run", "--rm", .. options, "bb:latest", "true"]);
        Assert.Equal(125, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }
}
