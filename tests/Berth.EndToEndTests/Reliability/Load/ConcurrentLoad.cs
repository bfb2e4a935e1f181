using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Berth.Load;

/// <summary>
/// Many clients at once against a Docker Engine API (berthd's, or Docker's for the reference), each a random mix of what
/// users do: run and remove containers under names they race each other for, connect and disconnect them, make and
/// remove networks under contested names (<c>n0</c>…), volumes (<c>v0</c>…, one per client), lists and inspects; while a
/// watchdog pings every 50 ms on a connection of its own. Compiled into the end-to-end tests and into bench/ (one source).
/// </summary>
/// <param name="api">The clients' connection pool.</param>
/// <param name="watch">The watchdog's own client, so its pings never queue behind the clients' requests.</param>
/// <param name="image">An image that has <c>sleep</c>.</param>
/// <param name="networks">Existing networks the containers run on and are connected to.</param>
public sealed class ConcurrentLoad(HttpClient api, HttpClient watch, string image, IReadOnlyList<string> networks)
{
    public const int ContainerNames = 30;
    public const int NetworkNames = 8;
    private static readonly TimeSpan PingInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>How long clients may take to end after the round's time is up before they count as hung.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(90);

    /// <summary>Runs <paramref name="clients"/> clients for <paramref name="duration"/>; <paramref name="afterPing"/> runs after each ping (to sample the daemon).</summary>
    public async Task<LoadRound> RunAsync(int clients, TimeSpan duration, Action? afterPing = null)
    {
        var failures = new ConcurrentQueue<string>();
        var counts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var pings = new List<double>();
        using var stop = new CancellationTokenSource(duration);
        var watchdog = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                using (var answer = await watch.GetAsync("/_ping", CancellationToken.None))
                {
                    pings.Add(clock.Elapsed.TotalMilliseconds);
                    if (answer.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Enqueue($"/_ping answered {(int)answer.StatusCode}");
                    }
                }

                afterPing?.Invoke();
                await Task.Delay(PingInterval, CancellationToken.None);
            }
        });

        var running = Enumerable.Range(0, clients).Select(n => Task.Run(() => ClientAsync(n, failures, counts, stop.Token))).ToArray();
        bool ended = await Task.WhenAll(running).WaitAsync(duration + Grace).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        await watchdog;
        pings.Sort();
        return new LoadRound(counts, [.. failures], pings, ended);
    }

    private async Task ClientAsync(int client, ConcurrentQueue<string> failures, ConcurrentDictionary<string, int> counts, CancellationToken stop)
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
                string network = networks[random.Next(networks.Count)];
                response = await api.PostAsJsonAsync($"/containers/create?name={name}",
                    new JsonObject { ["Image"] = image, ["Cmd"] = new JsonArray("sleep", "600"), ["HostConfig"] = new JsonObject { ["NetworkMode"] = network } }, CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    mine.Add(name);
                    Check(failures, operation, response, HttpStatusCode.Created);
                    response.Dispose();
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
                response = await api.PostAsJsonAsync($"/networks/{networks[random.Next(networks.Count)]}/{operation}",
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
}
