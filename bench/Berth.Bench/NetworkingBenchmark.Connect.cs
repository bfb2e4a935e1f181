using System.Diagnostics;
using System.Net;
using System.Text;

namespace Berth.Bench;

/// <summary>
/// connect_median_ms … disconnect_api_p90_ms: `docker network connect NET CTR` and `docker network
/// disconnect NET CTR` of the running target container to and from a second network, timed around the
/// docker CLI (what a user waits for) and around the raw API call on the daemon's socket (what the daemon
/// takes). <c>count</c> of each, after <see cref="ConnectWarmUp"/> unmeasured; and cli_start_ms, the median
/// of `docker --version`, which contacts no daemon: the CLI's own start-up, included in the CLI figures.
/// </summary>
internal sealed partial class NetworkingBenchmark
{
    private const int ConnectWarmUp = 3;

    private void MeasureConnect(Scene scene, BenchResult result, string prefix)
    {
        log.WriteLine($"networking ({scene.Target.Name}): network connect/disconnect of a running container, {count} times through the CLI and the API");
        var cli = (Connect: new List<double>(count), Disconnect: new List<double>(count));
        var api = (Connect: new List<double>(count), Disconnect: new List<double>(count));
        for (int i = -ConnectWarmUp; i < count; i++)
        {
            double connect = Time(() => scene.Cli.Checked("network", "connect", scene.SecondNetwork, TargetContainer));
            if (i == -ConnectWarmUp)
            {
                AssertConnected(scene, true);
            }

            double disconnect = Time(() => scene.Cli.Checked("network", "disconnect", scene.SecondNetwork, TargetContainer));
            if (i == -ConnectWarmUp)
            {
                AssertConnected(scene, false);
            }

            double apiConnect = Time(() => Post(scene.Api, $"/v1.41/networks/{scene.SecondNetwork}/connect", "{\"Container\":\"" + TargetContainer + "\",\"EndpointConfig\":{}}"));
            double apiDisconnect = Time(() => Post(scene.Api, $"/v1.41/networks/{scene.SecondNetwork}/disconnect", $$"""{"Container":"{{TargetContainer}}","Force":false}"""));
            if (i >= 0)
            {
                cli.Connect.Add(connect);
                cli.Disconnect.Add(disconnect);
                api.Connect.Add(apiConnect);
                api.Disconnect.Add(apiDisconnect);
            }
        }

        result.Add(prefix + "connect_median_ms", Stats.Median(cli.Connect));
        result.Add(prefix + "connect_p90_ms", Stats.Percentile(cli.Connect, 90));
        result.Add(prefix + "disconnect_median_ms", Stats.Median(cli.Disconnect));
        result.Add(prefix + "disconnect_p90_ms", Stats.Percentile(cli.Disconnect, 90));
        result.Add(prefix + "connect_api_median_ms", Stats.Median(api.Connect));
        result.Add(prefix + "connect_api_p90_ms", Stats.Percentile(api.Connect, 90));
        result.Add(prefix + "disconnect_api_median_ms", Stats.Median(api.Disconnect));
        result.Add(prefix + "disconnect_api_p90_ms", Stats.Percentile(api.Disconnect, 90));

        // What the CLI costs before it talks to any daemon: the floor under the CLI-timed figures.
        var start = new List<double>(count);
        for (int i = 0; i < count; i++)
        {
            start.Add(Time(() => scene.Cli.Checked("--version")));
        }

        result.Add(prefix + "cli_start_ms", Stats.Median(start));
    }

    /// <summary>The target has an interface on the second network exactly while connected (seen by the daemon's inspect).</summary>
    private static void AssertConnected(Scene scene, bool connected)
    {
        string networks = scene.Cli.Checked("inspect", "-f", "{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}", TargetContainer);
        if (networks.Split(' ').Contains(scene.SecondNetwork) != connected)
        {
            throw new InvalidOperationException($"{TargetContainer} after {(connected ? "connect" : "disconnect")}: networks {networks}");
        }
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static void Post(HttpClient api, string path, string json)
    {
        using var response = api.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }
    }
}
