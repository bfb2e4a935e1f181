using Berth.Cli.Client;
using Berth.Cli.Commands;
using Berth.Cli.Commands.Compose;
using Berth.Cli.Terminal;
using Berth.Compose.Model;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using static Berth.EndToEndTests.Compose.ComposeGuideTests;

namespace Berth.EndToEndTests.Compose;

/// <summary>
/// What stops <c>berth compose up</c> — a service without an image, a dependency that turns unhealthy, one that exits non-zero —
/// with the reason and without starting what depends on it; and attached <c>up</c>: prefixed output of every container,
/// the exit of one reported, Ctrl-C stopping them all.
/// </summary>
public sealed class ComposeUpFailureAndAttachTests : DaemonTest
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    [RootFact]
    public void FailingDependencyStopsUpWithTheReason()
    {
        using var daemon = StartDaemon();
        ComposeTestImages.Import(daemon, TestRoot);

        var build = ComposeRun.Run(daemon, Project(new ComposeService { Name = "api", Networks = [new ServiceNetwork("default")] }), "up", "-d");
        Assert.Equal(1, build.ExitCode);
        Assert.Equal("service \"api\" has neither image: nor build:; give it an image\n", build.Error);
        Assert.DoesNotContain("fail_default", daemon.DockerChecked("network", "ls", "--format", "{{.Name}}").Output, StringComparison.Ordinal);

        var unhealthy = ComposeRun.Run(daemon, Project(
            new ComposeService
            {
                Name = "db",
                Image = "postgres:15",
                Command = ["sleep", "300"],
                Healthcheck = new ComposeHealthcheck { Test = ["CMD-SHELL", "pg_isready"], Interval = TimeSpan.FromMilliseconds(200), Retries = 2 },
            },
            Api(new ServiceDependency("db", DependencyCondition.Healthy))), "up", "-d");
        Assert.Equal(1, unhealthy.ExitCode);
        Assert.Contains("dependency failed to start: container fail_db_1 is unhealthy (last probe exited 2: /var/run/postgresql:5432 - no response)", unhealthy.Error, StringComparison.Ordinal);
        Assert.Equal(["fail_db_1"], ProjectContainers(daemon, "fail"));

        var migration = ComposeRun.Run(daemon, Project(new ComposeService { Name = "migrate", Image = "bb:latest", Command = ["sh", "-c", "exit 3"] }, Api(new ServiceDependency("migrate", DependencyCondition.CompletedSuccessfully))), "up", "-d", "--remove-orphans");
        Assert.Equal(1, migration.ExitCode);
        Assert.Contains("service \"migrate\" didn't complete successfully: container fail_migrate_1 exited with code 3", migration.Error, StringComparison.Ordinal);
        Assert.Equal(["fail_migrate_1"], ProjectContainers(daemon, "fail"));

        var fixedProject = Project(new ComposeService { Name = "migrate", Image = "bb:latest", Command = ["true"] }, Api(new ServiceDependency("migrate", DependencyCondition.CompletedSuccessfully)));
        var wait = ComposeRun.Checked(daemon, fixedProject, "up", "--wait");
        Assert.Contains("All services are ready", wait.Error, StringComparison.Ordinal);
        Assert.Equal("true", Inspect(daemon, "fail_api_1", "{{.State.Running}}"));
        ComposeRun.Checked(daemon, fixedProject, "down");
        Assert.Empty(ProjectContainers(daemon, "fail"));
    }

    [RootFact]
    public async Task AttachedUpPrintsPrefixedOutputAndCtrlCStopsEveryContainer()
    {
        using var daemon = StartDaemon();
        ComposeTestImages.Import(daemon, TestRoot);
        var project = new ComposeProject
        {
            Name = "att",
            WorkingDirectory = "/srv/att",
            Services = Services(
                new ComposeService { Name = "talker", Image = "bb:latest", Command = ["sh", "-c", "echo hello from talker; echo to stderr >&2; exec sleep 300"], Networks = [new ServiceNetwork("default")] },
                new ComposeService { Name = "once", Image = "bb:latest", Command = ["sh", "-c", "echo once done; exit 4"], Networks = [new ServiceNetwork("default")] }),
            Networks = ComposeGuideTests.Networks(new ComposeNetwork { Key = "default", Name = "att_default" }),
        };

        var text = new StringWriter { NewLine = "\n" };
        var output = TextWriter.Synchronized(text);
        using var context = new CommandContext(CliConsole.FromText(output, TextWriter.Null, new StringReader("")), new DaemonHost(daemon.Host), _ => null);
        var engine = new ComposeEngine(context);
        var since = DateTimeOffset.UtcNow;
        var (_, containers) = await engine.UpAsync(project, new UpOptions([]), CancellationToken.None);
        using var interrupt = new CancellationTokenSource();
        var attached = engine.AttachAsync(project, containers, since, color: true, interrupt.Token, CancellationToken.None);

        string Printed()
        {
            lock (output)
            {
                return text.ToString();
            }
        }

        Assert.True(Poll.Until(() => Printed().Contains("att_talker_1  | \u001b[0mto stderr\n", StringComparison.Ordinal) && Printed().Contains("att_once_1 exited with code 4\n", StringComparison.Ordinal), Soon),
            "attached output incomplete:\n" + Printed());
        var printed = Printed();
        Assert.StartsWith("Attaching to att_once_1, att_talker_1\n", printed, StringComparison.Ordinal);
        Assert.Contains("\u001b[36matt_once_1    | \u001b[0monce done\n", printed, StringComparison.Ordinal);
        Assert.Contains("\u001b[33matt_talker_1  | \u001b[0mhello from talker\n", printed, StringComparison.Ordinal);
        Assert.False(attached.IsCompleted, "attached up ended while talker still runs");

        await interrupt.CancelAsync();
        Assert.Equal(ComposeEngine.InterruptedExitCode, await attached.WaitAsync(Soon));
        Assert.Equal("false", Inspect(daemon, "att_talker_1", "{{.State.Running}}"));
        Assert.Equal(0, ComposeRun.Run(daemon, project, "down").ExitCode);
        Assert.Empty(ProjectContainers(daemon, "att"));
    }

    private static ComposeService Api(ServiceDependency dependency) =>
        new() { Name = "api", Image = "myorg/api:1.0", Command = ["sleep", "300"], DependsOn = [dependency] };

    private static ComposeProject Project(params ComposeService[] services) => new()
    {
        Name = "fail",
        WorkingDirectory = "/srv/fail",
        Services = Services([.. services.Select(s => s.Networks.IsEmpty ? s with { Networks = [new ServiceNetwork("default")] } : s)]),
        Networks = ComposeGuideTests.Networks(new ComposeNetwork { Key = "default", Name = "fail_default" }),
    };
}
