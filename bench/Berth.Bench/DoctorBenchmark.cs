using System.Diagnostics;
using System.Text.Json;

namespace Berth.Bench;

/// <summary>
/// berth doctor and berth topology (`bench/run.sh doctor`): wall time of a whole `berth doctor` (every check, its probes
/// from inside the containers included), of `berth doctor --network` for one network, and of `berth topology --format
/// json`, median of N after one unmeasured round, with 10 and then 100 running containers on three bridge networks
/// (one with enable_icc=false) and one published port. Docker has nothing to compare with: doctor's probes are what a
/// user would otherwise run by hand, container by container.
/// </summary>
internal sealed class DoctorBenchmark(int count, TextWriter log)
{
    private static readonly string[] Networks = ["app1", "app2", "quiet"];

    public void Run(BenchResult result)
    {
        string dir = $"/run/berth-bench-{Environment.ProcessId}";
        try
        {
            using var daemon = BenchDaemon.Start(dir, "doctor");
            BusyboxImage.Import(daemon.Cli, dir);
            daemon.Cli.Checked("network", "create", "--subnet", "10.171.0.0/20", Networks[0]);
            daemon.Cli.Checked("network", "create", "--subnet", "10.172.0.0/20", Networks[1]);
            daemon.Cli.Checked("network", "create", "--subnet", "10.173.0.0/20", "-o", "com.docker.network.bridge.enable_icc=false", Networks[2]);
            daemon.Cli.Checked("run", "-d", "--name", "web", "--network", Networks[0], "-p", "8080:80", BusyboxImage.Name, "httpd", "-f", "-p", "80");
            int running = 1;
            foreach (int scale in new[] { 10, 100 })
            {
                for (; running < scale; running++)
                {
                    daemon.Cli.Checked("run", "-d", "--name", $"c{running}", "--network", Networks[running % Networks.Length], BusyboxImage.Name, "sleep", "3600");
                }

                log.WriteLine($"doctor: {scale} running containers; berth doctor, doctor --network {Networks[0]}, topology: 1 + {count} rounds each");
                var (all, findings, problems) = Time(daemon, ["doctor", "--format", "json"]);
                result.Add($"doctor_{scale}_containers_ms", all);
                result.Add($"doctor_{scale}_containers_findings", findings);
                result.Add($"doctor_{scale}_containers_problems", problems);
                result.Add($"doctor_network_{scale}_containers_ms", Time(daemon, ["doctor", "--network", Networks[0], "--format", "json"]).Median);
                result.Add($"topology_json_{scale}_containers_ms", Time(daemon, ["topology", "--format", "json"]).Median);
            }

            // Containers go before berthd: their mounts and monitors must not outlive the run.
            daemon.Cli.Checked(["rm", "-f", .. daemon.Cli.Checked("ps", "-aq").Split('\n', StringSplitOptions.RemoveEmptyEntries)]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The median wall time of the command, with the findings and problems of the last doctor report.</summary>
    private (double Median, int Findings, int Problems) Time(BenchDaemon daemon, string[] args)
    {
        string berth = Path.Combine(Environment.CurrentDirectory, "out", "berth");
        var times = new List<double>(count);
        string output = "";
        for (int i = 0; i <= count; i++)
        {
            var start = new ProcessStartInfo(berth, args) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["BERTH_HOST"] = daemon.Host;
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (i > 0)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        if (args[0] != "doctor")
        {
            return (Stats.Median(times), 0, 0);
        }

        using var report = JsonDocument.Parse(output);
        var findings = report.RootElement.GetProperty("Findings").EnumerateArray().ToList();
        foreach (var problem in findings.Where(f => f.GetProperty("Status").GetString() == "problem"))
        {
            log.WriteLine($"doctor: problem: {problem.GetProperty("Check").GetString()} {problem.GetProperty("Subject").GetString()}: {problem.GetProperty("Found").GetString()}");
        }

        return (Stats.Median(times), findings.Count, findings.Count(f => f.GetProperty("Status").GetString() == "problem"));
    }
}
