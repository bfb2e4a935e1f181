namespace Berth.Cli.Tests;

/// <summary><c>berth compose … config</c> through the CLI's entry point: flags before the subcommand, output, exit codes.</summary>
public sealed class ComposeCommandTests : IDisposable
{
    private const string Host = "unix:///nonexistent/berth.sock";

    private readonly string directory = Path.Combine(Path.GetTempPath(), "berth-cli-compose-" + Guid.NewGuid().ToString("N")[..12], "shop");

    public ComposeCommandTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task ConfigPrintsTheResolvedProject()
    {
        var file = Write("compose.yaml", """
            services:
              web:
                image: nginx
                ports: ["127.0.0.1:8080-8081:80-81"]
                stop_grace_period: 90s
              debug:
                image: busybox
                profiles: [debug]
            """);

        var run = await CliRun.RunAsync(Host, "compose", "-f", file, "-p", "demo", "config");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Err);
        Assert.Equal(
            """
            name: demo
            services:
              web:
                image: nginx
                networks:
                  default: null
                ports:
                  - target: 80
                    published: "8080"
                    host_ip: 127.0.0.1
                    protocol: tcp
                  - target: 81
                    published: "8081"
                    host_ip: 127.0.0.1
                    protocol: tcp
                stop_grace_period: 1m30s
            networks:
              default:
                name: demo_default

            """, run.Out);
    }

    [Fact]
    public async Task ConfigListsServicesNetworksAndProfiles()
    {
        var file = Write("compose.yaml", """
            services:
              web: {image: x, networks: [front]}
              db: {image: x, networks: [back], profiles: [full]}
            networks: {front: {}, back: {}}
            """);

        Assert.Equal("web\n", (await CliRun.RunAsync(Host, "compose", "-f", file, "config", "--services")).Out);
        Assert.Equal("db\nweb\n", (await CliRun.RunAsync(Host, "compose", "-f", file, "--profile", "full", "config", "--services")).Out);
        Assert.Equal("back\nfront\n", (await CliRun.RunAsync(Host, "compose", "-f", file, "config", "--networks")).Out);
        Assert.Equal("full\n", (await CliRun.RunAsync(Host, "compose", "-f", file, "config", "--profiles")).Out);
    }

    [Fact]
    public async Task QuietValidatesAndReportsEveryProblem()
    {
        var good = Write("good.yaml", "services:\n  web: {image: x}\n");
        var bad = Write("bad.yaml", """
            services:
              web:
                image: x
                networks: [frontnet]
                ports: ["http"]
            """);

        var ok = await CliRun.RunAsync(Host, "compose", "-f", good, "config", "-q");
        var broken = await CliRun.RunAsync(Host, "compose", "-f", bad, "config", "-q");

        Assert.Equal((0, "", ""), (ok.ExitCode, ok.Out, ok.Err));
        Assert.Equal(1, broken.ExitCode);
        Assert.Equal("", broken.Out);
        Assert.Equal(
            $"{bad}:4:16: services.web.networks: network \"frontnet\" is not defined; define it under the top-level networks: or fix the name\n" +
            $"{bad}:5:13: services.web.ports[0]: bad port \"http\": \"http\" is not a container port (1-65535) or range (80-81)\n",
            broken.Err);
    }

    [Fact]
    public async Task HelpAndUnknownSubcommands()
    {
        var help = await CliRun.RunAsync(Host, "compose", "--help");
        var unknown = await CliRun.RunAsync(Host, "compose", "frobnicate");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage:  berth compose [OPTIONS] COMMAND", help.Out, StringComparison.Ordinal);
        Assert.Contains("  config      Parse, resolve and render compose file in canonical format\n", help.Out, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.StartsWith("berth: unknown command: berth compose frobnicate\n", unknown.Err, StringComparison.Ordinal);
    }
}
