using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Bench;

internal sealed partial class ReliabilityBenchmark
{
    private const string EndToEndTests = "tests/Berth.EndToEndTests";

    /// <summary>
    /// CrashAnywhereTests ("N crash points: …") and ServiceCrashTests (a swarm manager's, "N crash points in S s"); a
    /// failed run is an inconsistency it found (its message on stderr).
    /// </summary>
    private void Crashes(BenchResult result)
    {
        var run = RunTests("Reliability.CrashAnywhereTests|FullyQualifiedName~Reliability.ServiceCrashTests");
        var tried = Regex.Match(run.Output, @"(\d+) crash points: (\d+) in the scenario, (\d+) while starting after one, (\d+) kills just after");
        result.Add("crash_points_tried", tried.Success ? int.Parse(tried.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
        result.Add("in_scenario", tried.Success ? int.Parse(tried.Groups[2].Value, CultureInfo.InvariantCulture) : 0);
        result.Add("while_starting", tried.Success ? int.Parse(tried.Groups[3].Value, CultureInfo.InvariantCulture) : 0);
        var services = Regex.Match(run.Output, @"(\d+) crash points in \d+ s; sites");
        result.Add("service_crash_points_tried", services.Success ? int.Parse(services.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
        result.Add("inconsistencies", run.Failed);
        result.Add("seconds", run.Seconds);
    }

    /// <summary>ClusterChaosTests: one "chaos: NAME recovered_ms=N" line per scenario.</summary>
    private void Chaos(BenchResult result)
    {
        var run = RunTests("Reliability.ClusterChaosTests");
        // The slowest recovery of each scenario (the long tier repeats the partitions).
        var recovered = Regex.Matches(run.Output, @"chaos: (\S+) recovered_ms=(\d+)")
            .GroupBy(m => m.Groups[1].Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (object)g.Max(m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)), StringComparer.Ordinal);
        result.Add("scenarios", recovered.Count);
        result.Add("recovery_ms", recovered);
        result.Add("failed", run.Failed);
        result.Add("seconds", run.Seconds);
    }

    private (string Output, int Failed, double Seconds) RunTests(string filter)
    {
        log.WriteLine($"reliability: dotnet test {EndToEndTests} --filter {filter}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = Exec.Capture("dotnet", null, "test", EndToEndTests, "-c", "Release", "--no-build", "--filter", "FullyQualifiedName~" + filter,
            "--logger", "console;verbosity=detailed");
        var failed = Regex.Match(run.Output, @"Failed:\s+(\d+)");
        int failures = failed.Success ? int.Parse(failed.Groups[1].Value, CultureInfo.InvariantCulture) : run.ExitCode == 0 ? 0 : 1;
        if (failures > 0)
        {
            log.WriteLine(run.Output);
        }

        return (run.Output, failures, Math.Round(clock.Elapsed.TotalSeconds));
    }
}
