using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Berth.EndToEndTests.Fixtures;
using Berth.Load;
using Berth.Linux.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Berth.EndToEndTests.Reliability;

/// <summary>
/// 50 clients at once, each doing a random mix of what users do (run and remove containers under names they race each other
/// for, connect and disconnect them, make and remove networks under contested names, volumes, lists and inspects) for a
/// bounded time, while a watchdog pings: no 5xx, no deadlock (every client ends, every <c>/_ping</c> answers within 2 s),
/// no name or address held twice, and berthd's threads and open files bounded during the run and back near where they
/// were after it. <c>./test.sh long</c> runs it for 10 minutes instead of 40 s.
/// </summary>
public sealed class ConcurrencyTests(ITestOutputHelper output) : DaemonTest
{
    private const int Clients = 50;
    private static readonly string[] Networks = ["conc-a", "conc-b", "conc-c"];
    /// <summary>The watchdog's deadlock bound: a ping not answered in this is a stuck daemon. The p99 target (50 ms) is the benchmark's to check.</summary>
    private static readonly TimeSpan PingBound = TimeSpan.FromSeconds(2);
    private static TimeSpan Duration => LongRootFactAttribute.IsLong ? TimeSpan.FromMinutes(10) : TimeSpan.FromSeconds(40);

    [RootFact]
    public async Task FiftyClientsDoingEverythingAtOnceSeeNoErrorNoDeadlockNoDuplicate()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        for (int i = 0; i < Networks.Length; i++)
        {
            daemon.DockerChecked("network", "create", "--subnet", $"10.{60 + i}.0.0/24", Networks[i]);
        }

        using var api = DaemonApi.Client(daemon);
        using var watch = DaemonApi.Client(daemon);
        var before = ProcessFigures.Of(daemon.Pid);
        var peak = before;
        var round = await new ConcurrentLoad(api, watch, "bb:latest", Networks).RunAsync(Clients, Duration, () => peak = peak.Max(ProcessFigures.Of(daemon.Pid)));
        output.WriteLine($"{round.OperationCount} operations: " + string.Join(", ", round.Operations.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));
        Assert.True(round.Ended, "clients did not end: a request hangs (deadlock?)\n" + daemon.Log[^Math.Min(4000, daemon.Log.Length)..]);
        Assert.True(round.Failures.Count == 0, $"{round.Failures.Count} failures, one of each kind:\n" + round.FailureSummary());
        output.WriteLine($"/_ping during the run: {round.PingsMs.Count} pings, p50 {round.PingP50:0.0} ms, p99 {round.PingP99:0.0} ms, max {round.PingMax:0.0} ms; " +
            $"threads {before.Threads} -> peak {peak.Threads}, sockets/pipes/namespaces {before.Files} -> peak {peak.Files}, RSS {before.RssKb / 1024} -> peak {peak.RssKb / 1024} MB");
        Assert.True(round.PingMax < PingBound.TotalMilliseconds, $"a /_ping took {round.PingMax:0} ms during the run: berthd was stuck");

        // No name or address twice: the containers' names are unique, and on each network every address is one container's.
        var containers = await api.GetFromJsonAsync<JsonArray>("/containers/json?all=1") ?? [];
        var names = containers.Select(c => c!["Names"]![0]!.GetValue<string>()).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        foreach (string network in Networks)
        {
            var attached = (await api.GetFromJsonAsync<JsonObject>($"/networks/{network}"))!["Containers"]!.AsObject();
            var addresses = attached.Select(c => c.Value!["IPv4Address"]!.GetValue<string>()).ToList();
            Assert.Equal(addresses.Count, addresses.Distinct(StringComparer.Ordinal).Count());
        }

        var subnets = (await api.GetFromJsonAsync<JsonArray>("/networks") ?? [])
            .SelectMany(n => n!["IPAM"]!["Config"]!.AsArray().Select(c => c!["Subnet"]?.GetValue<string>()))
            .Where(s => s is not null).ToList();
        Assert.Equal(subnets.Count, subnets.Distinct(StringComparer.Ordinal).Count());

        // Everything removed and the clients' pooled connections closed: berthd's sockets and pipes back near where they were.
        api.Dispose();
        watch.Dispose();
        daemon.RemoveAllContainers();
        for (int n = 0; n < ConcurrentLoad.NetworkNames; n++)
        {
            daemon.Docker("network", "rm", "n" + n.ToString(CultureInfo.InvariantCulture));
        }

        for (int client = 0; client < Clients; client++)
        {
            daemon.Docker("volume", "rm", "v" + client.ToString(CultureInfo.InvariantCulture));
        }

        var after = ProcessFigures.Of(daemon.Pid);
        Assert.True(Poll.Until(() => (after = ProcessFigures.Of(daemon.Pid)).Files <= before.Files + 8, TimeSpan.FromSeconds(20)),
            $"open sockets, pipes and namespaces: {before.Files} before, {after.Files} after everything was removed:\n" + Cmd.Run("ls", "-l", $"/proc/{daemon.Pid}/fd").Output);
        Assert.True(peak.Threads < 200, $"berthd ran {peak.Threads} threads at the peak");
        Assert.True(daemon.Pings(), "berthd does not answer after the run");
    }

    /// <summary>A process's threads, open files and resident memory, from /proc.</summary>
    private sealed record ProcessFigures(int Threads, int Files, long RssKb)
    {
        public static ProcessFigures Of(int pid)
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            long Field(string name) => long.Parse(status.First(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return new ProcessFigures((int)Field("Threads"), Directory.GetFiles($"/proc/{pid}/fd").Count(IsHandle), Field("VmRSS"));
        }

        // Sockets, pipes, epoll/inotify/event fds and namespaces: what a leak would pile up. Files are not counted: the
        // daemon under test runs as IL and maps each assembly (an open file) the first time a path of it runs.
        private static bool IsHandle(string fd)
        {
            try
            {
                string target = new FileInfo(fd).LinkTarget ?? "";
                return target.StartsWith("socket:", StringComparison.Ordinal) || target.StartsWith("pipe:", StringComparison.Ordinal)
                    || target.StartsWith("anon_inode:", StringComparison.Ordinal) || target.StartsWith("net:", StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false; // closed meanwhile
            }
        }

        public ProcessFigures Max(ProcessFigures other) =>
            new(Math.Max(Threads, other.Threads), Math.Max(Files, other.Files), Math.Max(RssKb, other.RssKb));
    }
}
