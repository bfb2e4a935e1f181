using System.Diagnostics;

namespace Berth.Bench;

/// <summary>
/// Image builds (`bench/run.sh build`): a 10-step Dockerfile with two COPY steps and three RUN steps, built with the
/// docker CLI's classic builder (`docker build -q`) — cold (`--no-cache`), again with nothing changed, and after one
/// source file changed (the one behind the second COPY) — median of N after one unmeasured round each; on berthd and on
/// Docker 20.10 (`dockerd --storage-driver=vfs`, BERTH_BENCH_DOCKER=0: not) in the same run, with the issue's targets.
/// </summary>
internal sealed class BuildBenchmark(int count, TextWriter log)
{
    private const string Dockerfile = """
        FROM berthbench:latest
        ENV APP=/app
        WORKDIR /app
        RUN echo one > /app/one
        COPY a.txt /app/a.txt
        RUN cat /app/a.txt > /app/a.copy
        LABEL bench=build
        COPY b.txt /app/b.txt
        RUN wc -c /app/b.txt > /app/b.size
        CMD ["cat", "/app/a.copy"]
        """;

    public void Run(BenchResult result)
    {
        string dir = $"/run/berth-bench-{Environment.ProcessId}";
        try
        {
            using (var daemon = BenchDaemon.Start(dir, "build"))
            {
                Measure(daemon.Cli, Path.Combine(dir, "context-berth"), dir, result, "");
            }

            if (BenchDockerd.Installed && Environment.GetEnvironmentVariable("BERTH_BENCH_DOCKER") != "0")
            {
                log.WriteLine("build: starting Docker 20.10 (dockerd --storage-driver=vfs) in a namespace of its own");
                using var dockerd = BenchDockerd.Start(Path.Combine(dir, "docker"), "docker");
                Measure(dockerd.Cli, Path.Combine(dir, "context-docker"), dir, result, "docker_");
                Targets(result);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private void Measure(DockerCli cli, string context, string dir, BenchResult result, string prefix)
    {
        BusyboxImage.Import(cli, dir);
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), Dockerfile);
        File.WriteAllText(Path.Combine(context, "a.txt"), "a\n");
        File.WriteAllText(Path.Combine(context, "b.txt"), "b\n");
        log.WriteLine($"build ({prefix.TrimEnd('_') switch { "" => "berthd", var p => p }}): cold, unchanged and one-file rebuilds, 1 + {count} rounds each");
        var cold = Rounds(() => Build(cli, context, "--no-cache"));
        var unchanged = Rounds(() => Build(cli, context));
        int round = 0;
        var changed = Rounds(() =>
        {
            File.WriteAllText(Path.Combine(context, "b.txt"), $"b {++round}\n");
            return Build(cli, context);
        });
        result.Add(prefix + "build_cold_ms", Stats.Median(cold));
        result.Add(prefix + "build_unchanged_ms", Stats.Median(unchanged));
        result.Add(prefix + "build_one_file_changed_ms", Stats.Median(changed));
        string output = cli.Checked("run", "--rm", "benchapp:latest");
        if (output.Trim() != "a")
        {
            throw new InvalidOperationException($"the built image printed \"{output}\", not \"a\"");
        }

        cli.Run("rmi", "-f", "benchapp:latest");
    }

    private List<double> Rounds(Func<double> build)
    {
        var times = new List<double>(count);
        for (int i = 0; i <= count; i++)
        {
            double ms = build();
            if (i > 0)
            {
                times.Add(ms);
            }
        }

        return times;
    }

    /// <summary>One `docker build -q -t benchapp` with the classic builder; its wall time.</summary>
    private static double Build(DockerCli cli, string context, params string[] flags)
    {
        var start = new ProcessStartInfo(DockerCli.Path, ["build", "-q", "-t", "benchapp:latest", .. flags, context]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOCKER_HOST"] = cli.Host;
        start.Environment["DOCKER_BUILDKIT"] = "0";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        double ms = clock.Elapsed.TotalMilliseconds;
        return process.ExitCode == 0 ? ms : throw new InvalidOperationException($"docker build failed against {cli.Host}: {error.Result}");
    }

    /// <summary>Issue 19's targets: cold ≤ Docker's, an unchanged rebuild ≤ 100 ms, a one-file change ≤ half Docker's.</summary>
    private static void Targets(BenchResult result)
    {
        const double UnchangedLimitMs = 100;
        double? cold = result.Number("build_cold_ms");
        double? dockerCold = result.Number("docker_build_cold_ms");
        double? unchanged = result.Number("build_unchanged_ms");
        double? changed = result.Number("build_one_file_changed_ms");
        double? dockerChanged = result.Number("docker_build_one_file_changed_ms");
        result.Add("target_cold_at_most_docker", cold <= dockerCold);
        result.Add("target_unchanged_at_most_100_ms", unchanged <= UnchangedLimitMs);
        result.Add("target_one_file_at_most_half_docker", changed <= dockerChanged / 2);
    }
}
