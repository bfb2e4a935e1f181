using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Berth.Bench;

/// <summary>
/// berthd's network API: create + delete of bridge networks through the socket (n = 50), idle RSS,
/// time from exec to the first /_ping answer, and `berth network ls` beside `docker network ls`
/// against the same socket. berthd runs in a namespace of its own. Where a Docker daemon answers on
/// /var/run/docker.sock, the same API figures for it, in the same run (docker_ fields).
/// </summary>
internal sealed class NetworkApiBenchmark(int count, TextWriter log)
{
    private const string DockerSocket = "/var/run/docker.sock";
    private const int CliRepetitions = 10;

    public void Run(BenchResult result)
    {
        string root = Path.Combine(Environment.CurrentDirectory, "out");
        string berthd = Path.Combine(root, "berthd");
        string berth = Path.Combine(root, "berth");
        string netns = $"berth-bench-{Environment.ProcessId}-api";
        string dir = $"/run/berth-bench-{Environment.ProcessId}";
        string socket = Path.Combine(dir, "berth.sock");
        Directory.CreateDirectory(dir);
        Exec.Run("ip", "netns", "add", netns);
        Process? daemon = null;
        try
        {
            Exec.Run("ip", "-n", netns, "link", "set", "lo", "up");
            var clock = Stopwatch.StartNew();
            daemon = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", netns, berthd, "-H", "unix://" + socket, "--root", Path.Combine(dir, "root"), "--exec-root", Path.Combine(dir, "exec"), "--log-level", "warn"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("cannot start berthd");
            using var http = UnixHttp.Create(socket);
            Poll.Until(() => daemon.HasExited || Pings(http), TimeSpan.FromSeconds(20), "berthd to answer /_ping");
            if (daemon.HasExited)
            {
                throw new InvalidOperationException("berthd exited: " + daemon.StandardError.ReadToEnd());
            }

            result.Add("ready_ms", Stats.Round(clock.Elapsed.TotalMilliseconds));
            log.WriteLine($"berthd ready in {clock.Elapsed.TotalMilliseconds:0} ms; {count} creates and deletes");

            var (create, delete) = CreateDelete(http, "bench");
            result.Add("create_median_ms", Stats.Median(create));
            result.Add("create_p90_ms", Stats.Percentile(create, 90));
            result.Add("delete_median_ms", Stats.Median(delete));
            result.Add("delete_p90_ms", Stats.Percentile(delete, 90));

            Thread.Sleep(2000);
            result.Add("idle_rss_mb", ProcStatus.RssMb(daemon.Id));

            var env = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + socket, ["BERTH_HOST"] = "unix://" + socket };
            result.Add("cli_ls_ms", TimeCommand(env, berth, "network", "ls"));
            result.Add("docker_cli_ls_ms", TimeCommand(env, "/usr/local/bin/docker", "network", "ls"));

            if (File.Exists(DockerSocket))
            {
                using var docker = UnixHttp.Create(DockerSocket);
                if (Pings(docker))
                {
                    log.WriteLine($"Docker daemon found on {DockerSocket}: the same {count} creates and deletes");
                    var (dockerCreate, dockerDelete) = CreateDelete(docker, "berthbenchref");
                    result.Add("docker_create_median_ms", Stats.Median(dockerCreate));
                    result.Add("docker_create_p90_ms", Stats.Percentile(dockerCreate, 90));
                    result.Add("docker_delete_median_ms", Stats.Median(dockerDelete));
                    result.Add("docker_delete_p90_ms", Stats.Percentile(dockerDelete, 90));
                    var denv = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + DockerSocket };
                    result.Add("docker_daemon_cli_ls_ms", TimeCommand(denv, "/usr/local/bin/docker", "network", "ls"));
                    result.Add("docker_idle_rss_mb", Stats.Round(ProcessRss("dockerd") + ProcessRss("containerd")));
                }
            }
        }
        finally
        {
            if (daemon is { HasExited: false })
            {
                Exec.Run("kill", "-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture));
                daemon.WaitForExit(20000);
            }

            Exec.TryRun("ip", "netns", "del", netns);
            Directory.Delete(dir, recursive: true);
        }
    }

    private (List<double> Create, List<double> Delete) CreateDelete(HttpClient http, string prefix)
    {
        var create = new List<double>(count);
        var delete = new List<double>(count);
        var clock = new Stopwatch();
        for (int i = -3; i < count; i++)
        {
            string name = $"{prefix}{i + 3}";
            clock.Restart();
            using (var response = http.PostAsync("/v1.41/networks/create", new StringContent($$"""{"Name":"{{name}}","Driver":"bridge","CheckDuplicate":true}""", Encoding.UTF8, "application/json")).GetAwaiter().GetResult())
            {
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"create {name}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
                }
            }

            double created = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            using (var response = http.DeleteAsync($"/v1.41/networks/{name}").GetAwaiter().GetResult())
            {
                if (response.StatusCode != HttpStatusCode.NoContent)
                {
                    throw new InvalidOperationException($"delete {name}: {(int)response.StatusCode}");
                }
            }

            // The first three are warm-up (connections, JIT); not measured.
            if (i >= 0)
            {
                create.Add(created);
                delete.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return (create, delete);
    }

    private static bool Pings(HttpClient http)
    {
        try
        {
            using var response = http.GetAsync("/_ping").GetAwaiter().GetResult();
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static double TimeCommand(Dictionary<string, string> env, string file, params string[] args)
    {
        var times = new List<double>(CliRepetitions);
        for (int i = 0; i < CliRepetitions + 1; i++)
        {
            var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var (key, value) in env)
            {
                start.Environment[key] = value;
            }

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {process.StandardError.ReadToEnd()}");
            }

            if (i > 0)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return Stats.Median(times);
    }

    private static double ProcessRss(string name)
    {
        double total = 0;
        foreach (var process in Process.GetProcessesByName(name))
        {
            total += ProcStatus.RssMb(process.Id);
            process.Dispose();
        }

        return total;
    }
}
