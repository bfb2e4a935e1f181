using System.Diagnostics;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Netlink;
using Berth.Linux.Routes;

namespace Berth.Bench;

/// <summary>
/// N container endpoints — netns, veth with the peer inside as eth0, lo and eth0 up, an IPv4
/// address, a default route, the host end on a bridge and up — built by Berth's netlink path and
/// by the equivalent sequence of <c>ip</c> commands, in the same run; then torn down.
/// </summary>
internal sealed class EndpointSetupBenchmark(int count, TextWriter log)
{
    /// <summary>Endpoints built and torn down before measuring, so that JIT tiering is not measured: berthd runs warm.</summary>
    private const int WarmUp = 20;

    public void Run(BenchResult result)
    {
        using var lab = new BenchLab();
        result.Add("count", count);
        result.Add("warm_up", WarmUp);
        RunBerth(lab, WarmUp, "warm-up");

        var (setup, teardown, settle) = RunBerth(lab);
        result.Add("berth_median_ms", Stats.Median(setup));
        result.Add("berth_p90_ms", Stats.Percentile(setup, 90));
        result.Add("berth_total_ms", Stats.Round(setup.Sum()));
        result.Add("berth_teardown_median_ms", Stats.Median(teardown));
        result.Add("berth_teardown_p90_ms", Stats.Percentile(teardown, 90));
        result.Add("berth_teardown_settle_ms", Stats.Round(settle));

        var (ipSetup, ipTeardown) = RunIp(lab);
        result.Add("ip_median_ms", Stats.Median(ipSetup));
        result.Add("ip_p90_ms", Stats.Percentile(ipSetup, 90));
        result.Add("ip_total_ms", Stats.Round(ipSetup.Sum()));
        result.Add("ip_teardown_median_ms", Stats.Median(ipTeardown));
        result.Add("speedup_vs_ip", Stats.Round(Stats.Median(ipSetup) / Stats.Median(setup)));

        new NftBenchmark(log).Run(result, lab.Host, lab.HostName);
    }

    private (List<double> Setup, List<double> Teardown, double Settle) RunBerth(BenchLab lab) => RunBerth(lab, count, "berth");

    private (List<double> Setup, List<double> Teardown, double Settle) RunBerth(BenchLab lab, int count, string label)
    {
        log.WriteLine($"{label}: {count} endpoints through netlink");
        var endpoints = new List<(string Name, NetnsHandle Handle, RtnlClient Rtnl)>(count);
        var hostLinks = lab.Host.Links;
        var setup = new List<double>(count);
        var netnsStep = new List<double>(count);
        var vethStep = new List<double>(count);
        var clock = new Stopwatch();
        for (int i = 0; i < count; i++)
        {
            string name = $"{lab.Prefix}-b{i}";
            var address = BenchLab.EndpointAddress(0, i);
            clock.Restart();

            // The namespace's own socket is opened while the worker is inside it: no extra switch.
            var (handle, rtnl) = lab.Manager.Create(name, () => RtnlClient.Open());
            netnsStep.Add(clock.Elapsed.TotalMilliseconds);

            // One RTM_NEWLINK: the peer is born inside the namespace as eth0; the host end joins the bridge up.
            hostLinks.Create(new VethSpec($"bb{i}", "eth0")
            {
                PeerNamespace = handle,
                Master = LinkRef.ByIndex(lab.BridgeIndex),
                Up = true,
            });
            vethStep.Add(clock.Elapsed.TotalMilliseconds - netnsStep[^1]);
            int eth0 = rtnl.Links.Get("eth0").Index;
            rtnl.Pipeline()
                .SetUp("lo")
                .SetUp(LinkRef.ByIndex(eth0))
                .AddAddress(eth0, address)
                .AddRoute(RouteSpec.DefaultVia(BenchLab.Gateway, LinkRef.ByIndex(eth0)))
                .Execute();
            setup.Add(clock.Elapsed.TotalMilliseconds);
            endpoints.Add((name, handle, rtnl));
        }

        Verify(lab, endpoints.Select(e => e.Name).ToList(), i => BenchLab.EndpointAddress(0, i).Address.ToString());

        log.WriteLine($"{label}: teardown");
        var teardown = new List<double>(count);
        foreach (var (name, handle, rtnl) in endpoints)
        {
            clock.Restart();

            // Close what keeps the namespace alive, then unmount it: the kernel removes the veth pair.
            rtnl.Dispose();
            handle.Dispose();
            lab.Manager.Delete(name);
            teardown.Add(clock.Elapsed.TotalMilliseconds);
        }

        double settle = Poll.Until(() => lab.PortCount() == 0, TimeSpan.FromSeconds(60), "the kernel to remove the endpoints' veths");
        log.WriteLine($"  step medians: netns {Stats.Median(netnsStep)} ms, veth {Stats.Median(vethStep)} ms, rest {Stats.Round(Stats.Median(setup) - Stats.Median(netnsStep) - Stats.Median(vethStep))} ms");
        return (setup, teardown, settle);
    }

    private (List<double> Setup, List<double> Teardown) RunIp(BenchLab lab)
    {
        log.WriteLine($"ip: {count} endpoints through 9 ip commands each");
        var setup = new List<double>(count);
        var names = new List<string>(count);
        var clock = new Stopwatch();
        string host = lab.HostName;
        for (int i = 0; i < count; i++)
        {
            string name = $"{lab.Prefix}-i{i}";
            string address = BenchLab.EndpointAddress(1, i).ToString();
            clock.Restart();
            Exec.Run("ip", "netns", "add", name);
            Exec.Run("ip", "-n", host, "link", "add", $"bi{i}", "type", "veth", "peer", "name", $"tmp{i}");
            Exec.Run("ip", "-n", host, "link", "set", $"tmp{i}", "netns", name);
            Exec.Run("ip", "-n", name, "link", "set", $"tmp{i}", "name", "eth0");
            Exec.Run("ip", "-n", name, "link", "set", "lo", "up");
            Exec.Run("ip", "-n", name, "link", "set", "eth0", "up");
            Exec.Run("ip", "-n", name, "addr", "add", address, "dev", "eth0");
            Exec.Run("ip", "-n", name, "route", "add", "default", "via", BenchLab.Gateway.ToString());
            Exec.Run("ip", "-n", host, "link", "set", $"bi{i}", "master", BenchLab.BridgeName, "up");
            setup.Add(clock.Elapsed.TotalMilliseconds);
            names.Add(name);
        }

        Verify(lab, names, i => BenchLab.EndpointAddress(1, i).Address.ToString());

        log.WriteLine("ip: teardown");
        var teardown = new List<double>(count);
        for (int i = 0; i < count; i++)
        {
            clock.Restart();
            Exec.Run("ip", "-n", host, "link", "del", $"bi{i}");
            Exec.Run("ip", "netns", "del", names[i]);
            teardown.Add(clock.Elapsed.TotalMilliseconds);
        }

        Poll.Until(() => lab.PortCount() == 0, TimeSpan.FromSeconds(60), "the ip endpoints to go away");
        return (setup, teardown);
    }

    /// <summary>Spot-checks that both methods built the same, working state: addresses, routes, ports, and a ping across the bridge.</summary>
    private void Verify(BenchLab lab, List<string> names, Func<int, string> addressOf)
    {
        var ports = lab.Host.Links.List().Where(l => l.MasterIndex == lab.BridgeIndex && l.IsUp).ToList();
        if (ports.Count != names.Count)
        {
            throw new InvalidOperationException($"expected {names.Count} bridge ports up, found {ports.Count}");
        }

        foreach (int i in new[] { 0, names.Count / 2, names.Count - 1 }.Distinct())
        {
            string addresses = Exec.TryRun("ip", "-n", names[i], "-o", "addr", "show", "dev", "eth0").Output;
            string routes = Exec.TryRun("ip", "-n", names[i], "route", "show", "default").Output;
            if (!addresses.Contains(addressOf(i) + "/16", StringComparison.Ordinal) || !routes.Contains($"via {BenchLab.Gateway}", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"endpoint {names[i]} is not set up: {addresses} {routes}");
            }
        }

        if (names.Count > 1)
        {
            var (code, output) = Exec.TryRun("ip", "netns", "exec", names[0], "ping", "-c1", "-W2", addressOf(names.Count - 1));
            if (code != 0)
            {
                throw new InvalidOperationException($"endpoint {names[0]} cannot ping {addressOf(names.Count - 1)}: {output}");
            }
        }

        log.WriteLine($"  verified {names.Count} endpoints (ports, addresses, routes, ping)");
    }
}
