using System.Diagnostics;
using System.Text.Json;

namespace Berth.Bench;

/// <summary>
/// Compose (`bench/run.sh compose`): `berth compose up -d --wait` until all ten services of a three-network
/// project are running (the two with healthchecks healthy, their dependants started after them), then
/// `berth compose down`; wall time of each command, median over N (one unmeasured round first). berthd runs in
/// a namespace of its own. When docker-compose is installed and a Docker daemon answers on
/// /var/run/docker.sock, the same project through docker-compose 1.29 against it in the same run
/// (<c>docker_compose_</c> fields; 1.29 has no <c>--wait</c>, so its `up -d` is timed until the bench sees
/// every container running and healthy through the API, polled every 5 ms).
/// </summary>
internal sealed class ComposeBenchmark(int count, TextWriter log)
{
    private const string DockerSocket = "/var/run/docker.sock";
    private const string DockerCompose = "/usr/bin/docker-compose";
    private const int Services = 10;

    public void Run(BenchResult result)
    {
        string dir = $"/run/berth-bench-{Environment.ProcessId}";
        try
        {
            using (var daemon = BenchDaemon.Start(dir, "compose"))
            {
                string berth = Path.Combine(Environment.CurrentDirectory, "out", "berth");
                Measure(new Target("berth compose", [berth, "compose"], ["--wait"], daemon.Host, daemon.Socket, daemon.Cli, "10.164"), dir, result, "");
            }

            var docker = new Target("docker-compose", [DockerCompose], [], "unix://" + DockerSocket, DockerSocket, new DockerCli("unix://" + DockerSocket), "10.165");
            if (File.Exists(DockerCompose) && File.Exists(DockerSocket) && docker.Cli.Run("version").Code == 0)
            {
                log.WriteLine($"compose: docker-compose is installed and a Docker daemon answers on {DockerSocket}; the same project through them");
                Measure(docker, dir, result, "docker_compose_");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private void Measure(Target target, string dir, BenchResult result, string prefix)
    {
        string projectDir = Path.Combine(dir, "project-" + prefix.TrimEnd('_'));
        Directory.CreateDirectory(projectDir);
        File.WriteAllText(Path.Combine(projectDir, "compose.yaml"), ComposeFile(target.Subnet));
        string project = "benchcompose" + Environment.ProcessId;
        BusyboxImage.Import(target.Cli, dir);
        using var api = UnixHttp.Create(target.ApiSocket);
        try
        {
            log.WriteLine($"compose ({target.Name}): up to all running and healthy, then down; 1 + {count} rounds");
            var up = new List<double>(count);
            var down = new List<double>(count);
            for (int i = 0; i <= count; i++)
            {
                var clock = Stopwatch.StartNew();
                Compose(target, projectDir, project, ["up", "-d", .. target.WaitFlags]);
                if (target.WaitFlags.Count == 0)
                {
                    Poll.Until(() => AllReady(api, project), TimeSpan.FromSeconds(120), "every service running and healthy");
                }

                double upMs = clock.Elapsed.TotalMilliseconds;
                if (!AllReady(api, project))
                {
                    throw new InvalidOperationException($"{target.Name} up returned before every service was running and healthy");
                }

                clock.Restart();
                Compose(target, projectDir, project, ["down"]);
                double downMs = clock.Elapsed.TotalMilliseconds;
                int left = ProjectContainers(api, project, all: true).Count;
                if (left != 0)
                {
                    throw new InvalidOperationException($"{target.Name} down left {left} containers");
                }

                if (i > 0)
                {
                    up.Add(upMs);
                    down.Add(downMs);
                }
            }

            result.Add(prefix + "up_median_ms", Stats.Median(up));
            result.Add(prefix + "up_p90_ms", Stats.Percentile(up, 90));
            result.Add(prefix + "down_median_ms", Stats.Median(down));
            result.Add(prefix + "down_p90_ms", Stats.Percentile(down, 90));
        }
        finally
        {
            log.WriteLine($"compose ({target.Name}): removing");
            RunCompose(target, projectDir, project, ["down"]);
            target.Cli.Run("rmi", BusyboxImage.Name);
        }
    }

    private static void Compose(Target target, string projectDir, string project, IReadOnlyList<string> args)
    {
        var (code, output) = RunCompose(target, projectDir, project, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{target.Name} {string.Join(' ', args)} exited {code}: {output}");
        }
    }

    private static (int Code, string Output) RunCompose(Target target, string projectDir, string project, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(target.Command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = projectDir,
        };
        foreach (string argument in target.Command.Skip(1).Concat(["-p", project, "-f", "compose.yaml"]).Concat(args))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOCKER_HOST"] = target.Host;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {target.Command[0]}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>Every service's container is running, and those with a healthcheck are healthy (ps's "(healthy)").</summary>
    private static bool AllReady(HttpClient api, string project)
    {
        var containers = ProjectContainers(api, project, all: false);
        return containers.Count == Services && containers.All(c =>
            c.GetProperty("State").GetString() == "running"
            && (!c.GetProperty("Labels").GetProperty("com.docker.compose.service").GetString()!.StartsWith("db", StringComparison.Ordinal)
                || c.GetProperty("Status").GetString()!.Contains("(healthy)", StringComparison.Ordinal)));
    }

    private static List<JsonElement> ProjectContainers(HttpClient api, string project, bool all)
    {
        string filters = Uri.EscapeDataString($"{{\"label\":[\"com.docker.compose.project={project}\"]}}");
        using var response = api.GetAsync($"/containers/json?all={(all ? 1 : 0)}&filters={filters}").GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>
    /// Ten services on three networks: two databases with healthchecks (probed every 200 ms) that four services
    /// wait for to be healthy, the rest after them or on their own. Every container exits at once on SIGTERM
    /// (a trap in PID 1's shell), so `down` measures the engine, not a stop timeout.
    /// </summary>
    private static string ComposeFile(string subnet)
    {
        const string Command = "command: [\"sh\", \"-c\", \"trap 'exit 0' TERM; sleep 3600 & wait\"]";
        const string Health = """
                healthcheck:
                  test: ["CMD-SHELL", "test -e /bin/sh"]
                  interval: 200ms
                  timeout: 2s
                  retries: 3
            """;
        string Service(string name, string networks, string? dependsOn = null, bool health = false) =>
            $"  {name}:\n    image: {BusyboxImage.Name}\n    {Command}\n    networks: [{networks}]\n"
            + (dependsOn is null ? "" : $"    depends_on:\n{dependsOn}")
            + (health ? Health + "\n" : "");
        const string Healthy = "      dbmain: {condition: service_healthy}\n      dbcache: {condition: service_healthy}\n";
        return "services:\n"
            + Service("dbmain", "backnet", health: true)
            + Service("dbcache", "backnet", health: true)
            + Service("api", "backnet, frontnet", Healthy)
            + Service("worker", "backnet, mgmtnet", Healthy)
            + Service("scheduler", "backnet, mgmtnet", Healthy)
            + Service("web", "frontnet", "      api: {condition: service_started}\n")
            + Service("proxy", "frontnet", "      web: {condition: service_started}\n")
            + Service("admin", "frontnet, mgmtnet", Healthy)
            + Service("metrics", "mgmtnet")
            + Service("logs", "mgmtnet, backnet")
            + "networks:\n"
            + $"  frontnet:\n    ipam:\n      config:\n        - subnet: {subnet}.1.0/24\n"
            + $"  backnet:\n    ipam:\n      config:\n        - subnet: {subnet}.2.0/24\n"
            + $"  mgmtnet:\n    ipam:\n      config:\n        - subnet: {subnet}.3.0/24\n";
    }

    /// <summary>A compose implementation and the daemon it drives: the command (and what makes `up` wait), DOCKER_HOST, the API socket, the docker CLI, and the /16 its networks are made in.</summary>
    private sealed record Target(string Name, IReadOnlyList<string> Command, IReadOnlyList<string> WaitFlags, string Host, string ApiSocket, DockerCli Cli, string Subnet);
}
