using Berth.Cli.Client;
using Berth.Cli.Commands.Stack;

namespace Berth.Cli.Tests.Stack;

/// <summary>
/// <c>stack deploy --detach=false</c>'s wait, as docker's <c>ServiceProgress</c> shows it: overall progress until every
/// slot runs, bars per slot (drawn on a terminal, left out off one), a task's error, the monitor period's countdown,
/// then the converged line.
/// </summary>
public sealed class ServiceProgressTests : IDisposable
{
    private const string ServiceId = "svc1abcdefghijklmnopqrstu";
    private const string Node = "node0123456789abcdefghijk";
    private const string ServiceJson = """{"ID":"SERVICE","Version":{"Index":3},"Spec":{"Name":"st_web","Mode":{"Replicated":{"Replicas":2}},"UpdateConfig":{"Monitor":1000000000}}}""";
    private readonly FakeDaemon _daemon = new();
    private int _listings;

    public void Dispose() => _daemon.Dispose();

    private static string Task(int slot, string state, string err = "", string desired = "running") =>
        $$$"""{"ID":"t{{{slot}}}{{{state}}}","Slot":{{{slot}}},"NodeID":"{{{Node}}}","DesiredState":"{{{desired}}}","Status":{"State":"{{{state}}}","Err":{{{System.Text.Json.JsonSerializer.Serialize(err)}}}}}""";

    private void Serve(params string[][] listings)
    {
        _daemon.Routes = (method, path) => (method, path) switch
        {
            ("GET", "/services/" + ServiceId) => (200, ServiceJson.Replace("SERVICE", ServiceId, StringComparison.Ordinal)),
            ("GET", "/tasks") => (200, "[" + string.Join(",", listings[Math.Min(Interlocked.Increment(ref _listings), listings.Length) - 1]) + "]"),
            ("GET", "/nodes") => (200, $$$"""[{"ID":"{{{Node}}}","Status":{"State":"ready"}}]"""),
            _ => null,
        };
    }

    private async Task<string> WaitAsync(bool terminal)
    {
        using var client = new DaemonClient(DaemonHost.Resolve(_daemon.Uri, _ => null));
        using var output = new StringWriter { NewLine = "\n" };
        var api = new StackApi(client);
        await new ServiceProgress(api, new ProgressLines(output, terminal, 200)).WaitAsync(ServiceId, CancellationToken.None);
        return output.ToString();
    }

    [Fact]
    public async Task Off_a_terminal_the_lines_without_bars_as_docker_prints_them()
    {
        Serve(
            [Task(1, "preparing"), Task(2, "rejected", "No such image: reg:5000/app:1\nsecond line")],
            [Task(1, "running"), Task(2, "running")]);
        var lines = (await WaitAsync(terminal: false)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var folded = lines.Where((line, i) => i == 0 || lines[i - 1] != line).ToList();
        Assert.Equal(
        [
            "overall progress: 0 out of 2 tasks", "1/2:  ", "2/2:  ", "2/2: No such image: reg:5000/app:1 second line", "overall progress: 0 out of 2 tasks",
            "overall progress: 2 out of 2 tasks", "verify: Waiting 1 seconds to verify that tasks are stable...", $"verify: Service {ServiceId} converged",
        ], folded);
    }

    [Fact]
    public async Task On_a_terminal_each_line_is_rewritten_in_place_with_its_bar()
    {
        Serve([Task(1, "running"), Task(2, "starting")], [Task(1, "running"), Task(2, "running")]);
        string output = await WaitAsync(terminal: true);
        Assert.Contains("\x1b[2K\r1/2: running   [==================================================>] \r", output, StringComparison.Ordinal);
        Assert.Contains("\x1b[2K\r2/2: starting  [============================================>      ] \r", output, StringComparison.Ordinal);
        Assert.Contains("\x1b[3A\x1b[2K\roverall progress: 2 out of 2 tasks \r\x1b[3B", output, StringComparison.Ordinal);
        Assert.EndsWith($"\x1b[2K\rverify: Service {ServiceId} converged \r\x1b[1B", output, StringComparison.Ordinal);
        // One new line per id: overall progress, 1/2, 2/2, verify.
        Assert.Equal(4, output.Count(c => c == '\n'));
    }
}
