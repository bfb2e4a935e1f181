using System.Diagnostics;
using Xunit.Abstractions;

namespace Berth.Cli.Tests;

public sealed class EndToEndTests(ITestOutputHelper log) : IDisposable
{
    private const string DockerCli = "/usr/local/bin/docker";
    private const int TimingRuns = 20;

    private readonly FakeDaemon daemon = new();

    public void Dispose() => daemon.Dispose();

    [Fact]
    public async Task NetworkLsPrintsDockersTableWithOneRequest()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "network", "ls");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "NETWORK ID     NAME                            DRIVER    SCOPE\n" +
            "0123456789ab   a-very-long-network-name-here   macvlan   local\n" +
            "f0e1d2c3b4a5   bridge                          bridge    local\n" +
            "aaaabbbbcccc   host                            host      local\n", run.Out);
        Assert.Equal(["GET /v1.45/networks"], daemon.Requests);
    }

    [Fact]
    public async Task NetworkLsSendsFiltersInMapForm()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "network", "ls", "-q", "-f", "name=br", "--filter", "driver=bridge");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("0123456789ab\nf0e1d2c3b4a5\naaaabbbbcccc\n", run.Out);
        Assert.Equal("GET /v1.45/networks?filters=" + Uri.EscapeDataString("""{"driver":{"bridge":true},"name":{"br":true}}"""), daemon.Requests.Single());
    }

    [Fact]
    public async Task InspectReportsTheMissingNameAndPrintsTheRest()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "network", "inspect", "nosuch", "host");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("[\n    {\n        \"Name\": \"host\",\n        \"Id\": \"aaaabbbb", run.Out, StringComparison.Ordinal);
        Assert.Contains("        \"Containers\": {},\n", run.Out, StringComparison.Ordinal);
        Assert.EndsWith("        \"Labels\": {}\n    }\n]\n", run.Out, StringComparison.Ordinal);
        Assert.Equal("Error response from daemon: network nosuch not found\n", run.Err);
    }

    [Fact]
    public async Task InspectWithATemplate()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "network", "inspect", "-f", "{{.Name}} {{range .IPAM.Config}}{{.Subnet}}{{end}} {{.Created}}", "bridge");

        Assert.Equal("bridge 172.17.0.0/16 2025-01-02 03:04:05.123456789 +0000 UTC\n", run.Out);
    }

    [Fact]
    public async Task InspectTemplateParseErrorExits64()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "network", "inspect", "-f", "{{.Name", "bridge");

        Assert.Equal(64, run.ExitCode);
        Assert.Equal("template parsing error: template: :1: unclosed action\n", run.Err);
    }

    [Fact]
    public async Task CreateSendsDockersBodyAndPrintsTheId()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "network", "create", "-d", "overlay", "--attachable", "--opt", "encrypted", "n2");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Concat(Enumerable.Repeat("ab", 32)) + "\n", run.Out);
        Assert.Equal(
            """POST /v1.45/networks/create {"Driver":"overlay","Scope":"","IPAM":{"Driver":"default","Options":{},"Config":[]},"Internal":false,"Attachable":true,"Ingress":false,"ConfigOnly":false,"ConfigFrom":null,"Options":{"encrypted":""},"Labels":{},"Name":"n2"}""",
            daemon.Requests.Single());
    }

    [Fact]
    public async Task RmPrintsEachRemovedNameAndFailsForTheMissingOne()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "network", "rm", "bridge", "nosuch", "host");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("bridge\nhost\n", run.Out);
        Assert.Equal("Error response from daemon: network nosuch not found\n", run.Err);
    }

    [Fact]
    public async Task PruneAsksAndStopsOnNo()
    {
        var run = await CliRun.RunWithInputAsync(daemon.Uri, "n\n", "network", "prune");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ", run.Out);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task PruneWithForcePrintsDeletedNetworks()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "network", "prune", "-f", "--filter", "label=a");

        Assert.Equal("Deleted Networks:\nn1\nn2\n\n", run.Out);
        Assert.Equal("POST /v1.45/networks/prune?filters=" + Uri.EscapeDataString("""{"label":{"a":true}}"""), daemon.Requests.Single());
    }

    [Fact]
    public async Task VersionShowsClientAndServer()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "version");

        Assert.Contains("Client:\n Version:           0.1.0\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("Server: Berth\n Engine:\n  Version:          0.1.0\n  API version:      1.45 (minimum version 1.24)\n", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableDaemonSaysSoAndExits1()
    {
        var run = await CliRun.RunAsync("unix:///nonexistent/berth.sock", "network", "ls");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Cannot connect to the Berth daemon at unix:///nonexistent/berth.sock. Is berthd running?\n", run.Err);
    }

    [Theory]
    [InlineData(125, "unknown flag: --bogus\n\nUsage:  berth network ls [OPTIONS]\n\nRun 'berth network ls --help' for more information\n", "network", "ls", "--bogus")]
    [InlineData(1, "berth: unknown command: berth bogus\n\nUsage:  berth [OPTIONS] COMMAND\n\nRun 'berth --help' for more information\n", "bogus")]
    [InlineData(1, "berth: 'berth network create' requires 1 argument\n\nUsage:  berth network create [OPTIONS] NETWORK\n\nSee 'berth network create --help' for more information\n", "network", "create")]
    [InlineData(125, "invalid argument \"maybe\" for \"--internal\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n\nUsage:  berth network create [OPTIONS] NETWORK\n\nRun 'berth network create --help' for more information\n", "network", "create", "--internal=maybe", "x")]
    [InlineData(1, "no matching subnet for gateway 10.9.0.1\n", "network", "create", "--subnet", "10.1.0.0/16", "--gateway", "10.9.0.1", "x")]
    [InlineData(1, "template parsing error: template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *network.networkContext\n", "network", "ls", "--format", "{{.Nope}}")]
    public async Task CommandLineErrorsPrintLikeDocker(int exitCode, string stderr, params string[] args)
    {
        var run = await CliRun.RunAsync(daemon.Uri, args);

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal(stderr, run.Err);
    }

    /// <summary>Printed, not asserted: wall time of the published AOT binary vs docker's CLI against the same fake daemon.</summary>
    [Fact]
    public void MeasureStartupAgainstDocker()
    {
        var berth = Path.Combine(RepoRoot(), "out", "berth");
        if (!File.Exists(berth))
        {
            log.WriteLine($"skipped: {berth} not published (scripts/publish-native.sh)");
            return;
        }

        log.WriteLine($"berth  network ls: median {MedianMilliseconds(berth):F1} ms over {TimingRuns} runs");
        if (File.Exists(DockerCli))
        {
            log.WriteLine($"docker network ls: median {MedianMilliseconds(DockerCli):F1} ms over {TimingRuns} runs");
        }
    }

    private double MedianMilliseconds(string executable)
    {
        var samples = new List<double>();
        for (var i = 0; i < TimingRuns; i++)
        {
            var start = new ProcessStartInfo(executable, ["network", "ls"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["DOCKER_HOST"] = daemon.Uri;
            start.Environment["BERTH_HOST"] = daemon.Uri;
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            samples.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(0, process.ExitCode);
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Berth.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Berth.slnx not found above the test binaries");
    }
}
