using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Berth.EndToEndTests.Fixtures;
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
    private const int ContainerNames = 30;
    private const int NetworkNames = 8;
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
        var failures = new ConcurrentQueue<string>();
        var counts = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource(Duration);
        var pings = new List<double>();
        var peak = before;
        var watchdog = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                using var answer = await watch.GetAsync("/_ping", CancellationToken.None);
                pings.Add(clock.Elapsed.TotalMilliseconds);
                if (answer.StatusCode != HttpStatusCode.OK)
                {
                    failures.Enqueue($"/_ping answered {(int)answer.StatusCode}");
                }

                peak = peak.Max(ProcessFigures.Of(daemon.Pid));
                await Task.Delay(50, CancellationToken.None);
            }
        });

        var clients = Enumerable.Range(0, Clients).Select(n => Task.Run(() => ClientAsync(api, n, failures, counts, stop.Token))).ToArray();
        bool ended = Task.WaitAll(clients, Duration + TimeSpan.FromSeconds(90));
        await watchdog;
        output.WriteLine($"{counts.Values.Sum()} operations: " + string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));
        Assert.True(ended, "clients did not end: a request hangs (deadlock?)\n" + daemon.Log[^Math.Min(4000, daemon.Log.Length)..]);
        Assert.True(failures.IsEmpty, $"{failures.Count} failures, one of each kind:\n" +
            string.Join("\n", failures.GroupBy(f => f.Split(':')[0].Split(' ')[0] + (f.Contains(": 5", StringComparison.Ordinal) ? " 5xx" : "")).Select(g => $"{g.Count()} × {g.First()}")));

        pings.Sort();
        double p99 = pings[(int)Math.Ceiling(pings.Count * 0.99) - 1];
        output.WriteLine($"/_ping during the run: {pings.Count} pings, p50 {pings[pings.Count / 2]:0.0} ms, p99 {p99:0.0} ms, max {pings[^1]:0.0} ms; " +
            $"threads {before.Threads} -> peak {peak.Threads}, sockets/pipes/namespaces {before.Files} -> peak {peak.Files}, RSS {before.RssKb / 1024} -> peak {peak.RssKb / 1024} MB");
        Assert.True(pings[^1] < PingBound.TotalMilliseconds, $"a /_ping took {pings[^1]:0} ms during the run: berthd was stuck");

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
        for (int n = 0; n < NetworkNames; n++)
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

    private static async Task ClientAsync(HttpClient api, int client, ConcurrentQueue<string> failures, ConcurrentDictionary<string, int> counts, CancellationToken stop)
    {
        var random = new Random(client);
        var mine = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            int choice = random.Next(100);
            string operation;
            HttpResponseMessage response;
            if (choice < 30)
            {
                operation = "run";
                string name = "c" + random.Next(ContainerNames).ToString(CultureInfo.InvariantCulture);
                string network = Networks[random.Next(Networks.Length)];
                response = await api.PostAsJsonAsync($"/containers/create?name={name}",
                    new JsonObject { ["Image"] = "bb:latest", ["Cmd"] = new JsonArray("sleep", "600"), ["HostConfig"] = new JsonObject { ["NetworkMode"] = network } }, CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    mine.Add(name);
                    Check(failures, operation, response, HttpStatusCode.Created);
                    response = await api.PostAsync($"/containers/{name}/start", null, CancellationToken.None);
                    operation = "start";
                }
            }
            else if (choice < 50 && mine.Count > 0)
            {
                operation = "rm";
                string name = mine[random.Next(mine.Count)];
                mine.Remove(name);
                response = await api.DeleteAsync($"/containers/{name}?force=1", CancellationToken.None);
            }
            else if (choice < 62 && mine.Count > 0)
            {
                operation = random.Next(2) == 0 ? "connect" : "disconnect";
                response = await api.PostAsJsonAsync($"/networks/{Networks[random.Next(Networks.Length)]}/{operation}",
                    new JsonObject { ["Container"] = mine[random.Next(mine.Count)] }, CancellationToken.None);
            }
            else if (choice < 72)
            {
                string name = "n" + random.Next(NetworkNames).ToString(CultureInfo.InvariantCulture);
                bool create = random.Next(2) == 0;
                operation = create ? "network create" : "network rm";
                response = create
                    ? await api.PostAsJsonAsync("/networks/create", new JsonObject { ["Name"] = name, ["CheckDuplicate"] = true }, CancellationToken.None)
                    : await api.DeleteAsync($"/networks/{name}", CancellationToken.None);
            }
            else if (choice < 80)
            {
                string name = "v" + client.ToString(CultureInfo.InvariantCulture);
                bool create = random.Next(2) == 0;
                operation = create ? "volume create" : "volume rm";
                response = create
                    ? await api.PostAsJsonAsync("/volumes/create", new JsonObject { ["Name"] = name }, CancellationToken.None)
                    : await api.DeleteAsync($"/volumes/{name}", CancellationToken.None);
            }
            else
            {
                operation = random.Next(3) switch { 0 => "ps", 1 => "network ls", _ => "inspect" };
                response = await api.GetAsync(operation switch
                {
                    "ps" => "/containers/json?all=1",
                    "network ls" => "/networks",
                    _ => $"/containers/c{random.Next(ContainerNames).ToString(CultureInfo.InvariantCulture)}/json",
                }, CancellationToken.None);
            }

            using (response)
            {
                counts.AddOrUpdate(operation, 1, (_, n) => n + 1);
                Check(failures, operation, response);
            }
        }
    }

    // Conflicts, absent objects and refusals are the answers of a race; a 5xx never is.
    private static void Check(ConcurrentQueue<string> failures, string operation, HttpResponseMessage response, HttpStatusCode? expected = null)
    {
        if ((int)response.StatusCode >= 500 || (expected is { } wanted && response.StatusCode != wanted))
        {
            failures.Enqueue($"{operation} {response.RequestMessage?.RequestUri?.PathAndQuery}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }
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
