using System.Diagnostics;
using System.Globalization;

namespace Berth.Bench;

/// <summary>
/// Containers through berthd with the real docker CLI: `docker run -d` to the first ping answer from
/// the network's gateway (the host, a peer on the same bridge), median and p90 over N; create+start
/// time of the 1st–20th and the last 20 of 200 containers on one network (the cost must stay flat);
/// berthd's RSS with 200 running and the monitors' (conmon) RSS each. The image is busybox, imported
/// at run time from Debian's busybox-static.
/// </summary>
internal sealed class ContainersBenchmark(int count, TextWriter log)
{
    private const int Fleet = 200;
    private const string Docker = "/usr/local/bin/docker";

    public void Run(BenchResult result)
    {
        string berthd = Path.Combine(Environment.CurrentDirectory, "out", "berthd");
        string netns = $"berth-bench-{Environment.ProcessId}-ctr";
        string dir = $"/run/berth-bench-{Environment.ProcessId}";
        string socket = Path.Combine(dir, "berth.sock");
        Directory.CreateDirectory(dir);
        Exec.Run("ip", "netns", "add", netns);
        Process? daemon = null;
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + socket };
        try
        {
            Exec.Run("ip", "-n", netns, "link", "set", "lo", "up");
            daemon = Process.Start(new ProcessStartInfo("nsenter", [$"--net=/run/netns/{netns}", berthd, "-H", "unix://" + socket, "--root", Path.Combine(dir, "root"), "--exec-root", Path.Combine(dir, "exec"), "--log-level", "warn"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("cannot start berthd");
            Poll.Until(() => Docker_(env, "version").Code == 0, TimeSpan.FromSeconds(20), "berthd to answer");
            Docker_(env, "import", "-c", "CMD [\"sh\"]", BuildBusyboxTar(dir), "bb:latest").Check();
            Docker_(env, "network", "create", "--subnet", "10.160.0.0/16", "benchnet").Check();

            log.WriteLine($"containers: run -d to first ping answer, {count} times");
            var ready = new List<double>(count);
            for (int i = 0; i < count; i++)
            {
                string ip = $"10.160.1.{i + 10}";
                var clock = Stopwatch.StartNew();
                Docker_(env, "run", "-d", "--name", $"r{i}", "--network", "benchnet", "--ip", ip, "bb:latest", "sleep", "600").Check();

                // Pinging before the address exists would leave a FAILED neighbour entry and a 1 s ARP retry to measure.
                using var pinger = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", netns, "ping", "-n", "-i", "0.002", "-W", "0.05", "-w", "10", ip]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                string? line;
                while ((line = pinger.StandardOutput.ReadLine()) is not null && !line.Contains("bytes from", StringComparison.Ordinal))
                {
                }

                ready.Add(clock.Elapsed.TotalMilliseconds);
                pinger.Kill();
                if (line is null)
                {
                    throw new InvalidOperationException($"container r{i} at {ip} never answered ping");
                }
            }

            result.Add("run_ready_median_ms", Stats.Median(ready));
            result.Add("run_ready_p90_ms", Stats.Percentile(ready, 90));

            log.WriteLine($"containers: {Fleet} on one network");
            var starts = new List<double>(Fleet);
            for (int i = 0; i < Fleet; i++)
            {
                var clock = Stopwatch.StartNew();
                Docker_(env, "run", "-d", "--name", $"f{i}", "--network", "benchnet", "bb:latest", "sleep", "600").Check();
                starts.Add(clock.Elapsed.TotalMilliseconds);
            }

            result.Add("first20_p90_ms", Stats.Percentile(starts[..20], 90));
            result.Add("last20_p90_ms", Stats.Percentile(starts[^20..], 90));
            Thread.Sleep(2000);
            result.Add("rss_200_mb", ProcStatus.RssMb(daemon.Id));
            var monitors = Process.GetProcessesByName("conmon");
            result.Add("monitor_rss_mb", Stats.Round(monitors.Average(p => ProcStatus.RssMb(p.Id))));
            foreach (var monitor in monitors)
            {
                monitor.Dispose();
            }

            log.WriteLine("containers: removing");
            var ids = Docker_(env, "ps", "-aq").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var chunk in ids.Chunk(50))
            {
                Docker_(env, ["rm", "-f", .. chunk]).Check();
            }
        }
        finally
        {
            if (daemon is { HasExited: false })
            {
                Exec.Run("kill", "-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture));
                daemon.WaitForExit(20000);
            }

            Exec.TryRun("umount", "-l", Path.Combine(dir, "exec", "netns"));
            Exec.TryRun("ip", "netns", "del", netns);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string BuildBusyboxTar(string dir)
    {
        string rootfs = Path.Combine(dir, "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"), overwrite: true);
        foreach (string applet in Exec.TryRun("/bin/busybox", "--list").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(a => a != "busybox"))
        {
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        }

        string tar = Path.Combine(dir, "busybox.tar");
        Exec.Run("tar", "-C", rootfs, "-cf", tar, ".");
        return tar;
    }

    private static DockerRun Docker_(Dictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo(Docker, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new DockerRun(process.ExitCode, output, error.Result, string.Join(' ', args));
    }

    private sealed record DockerRun(int Code, string Output, string Error, string Command)
    {
        public void Check()
        {
            if (Code != 0)
            {
                throw new InvalidOperationException($"docker {Command} failed: {Error}");
            }
        }
    }
}
