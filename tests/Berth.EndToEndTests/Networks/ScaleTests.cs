using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;
using Xunit.Abstractions;

namespace Berth.EndToEndTests.Networks;

/// <summary>
/// Hundreds of containers on one bridge network (200 in CI, 500 in <c>./test.sh long</c>), each publishing a port
/// (half fixed, half random): every published port
/// answers the LAN with its own container's name, every name resolves at 127.0.0.11 to its own container's address,
/// the DNAT map holds one element per port; a berthd killed and started again holds every port again and serves it
/// all the same; after removal the map is empty and berthd has let go of every socket, pipe and namespace it held.
/// The figures (create rate, the HTTP and DNS sweeps, the restart, berthd's memory and file descriptors, each
/// container's memory) go to the test output.
/// </summary>
public sealed class ScaleTests(ITestOutputHelper output) : DaemonTest
{
    private static readonly int Count = LongRootFactAttribute.IsLong ? 500 : 200;
    private const string Network = "scale";
    private const string Subnet = "10.200.0.0/22"; // 1,021 addresses for containers
    private const int FixedPortBase = 20000;       // the first half publish 20000 onwards; the second half a random host port

    /// <summary>docker CLI processes at once: enough to overlap the CLI's start-up, not so many that 2 cores thrash.</summary>
    private const int CreateParallelism = 4;

    /// <summary>HTTP requests in flight from the LAN peer.</summary>
    private const int HttpParallelism = 32;

    /// <summary>DNS queries in flight from one container.</summary>
    private const int DnsWindow = 64;

    private static readonly TimeSpan HttpDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan HttpAttempt = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan HttpRetryInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan DnsDeadline = TimeSpan.FromSeconds(20);

    /// <summary>busybox httpd answering its hostname (its container's name) on port 80; ~55 KB of its own memory.</summary>
    private static readonly string[] NameServer = ["bb:latest", "sh", "-c", "mkdir /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"];

    [RootFact]
    public void HundredsOfContainersEachPublishAPortAnswerTheLanAndResolveByName()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string networkId = daemon.DockerChecked("network", "create", "--subnet", Subnet, Network).Output.Trim();
        var idle = Measure(daemon);

        // Create and start them, a few docker CLIs at a time.
        string[] names = [.. Enumerable.Range(0, Count).Select(i => $"c{i:D3}")];
        var clock = Stopwatch.StartNew();
        var each = new TimeSpan[Count];
        Parallel.For(0, Count, new ParallelOptions { MaxDegreeOfParallelism = CreateParallelism }, i =>
        {
            long started = Stopwatch.GetTimestamp();
            daemon.DockerChecked(["run", "-d", "--name", names[i], "--hostname", names[i], "--network", Network,
                "-p", i < Count / 2 ? $"{FixedPortBase + i}:80" : "80", .. NameServer]);
            each[i] = Stopwatch.GetElapsedTime(started);
        });
        var created = clock.Elapsed;

        // What the API says of each: its address on the network and its host port.
        var containers = Inspect(daemon, names);
        Assert.Equal(Count, containers.Select(c => c.Address).Distinct().Count());
        Assert.All(containers, c => Assert.True(IPNetwork.Parse(Subnet).Contains(c.Address), $"{c.Name} has {c.Address}, outside {Subnet}"));
        Assert.Equal(Count, containers.Select(c => c.HostPort).Distinct().Count());
        Assert.All(containers.Take(Count / 2), (c, i) => Assert.Equal(FixedPortBase + i, c.HostPort));
        var ephemeral = EphemeralRange(DockerHost);
        Assert.All(containers.Skip(Count / 2), c => Assert.InRange(c.HostPort, ephemeral.Low, ephemeral.High));

        // The kernel's DNAT map: exactly one element per container, leading to that container's port 80.
        var map = PortMap(DockerHost);
        Assert.Equal(Count, map.Count);
        Assert.All(containers, c => Assert.Equal((c.Address, 80), map.GetValueOrDefault(c.HostPort)));

        // Every published port, from the LAN, through the docker host's address: that container's own name.
        var (swept, retried) = AssertEveryPortAnswersItsName(daemon, containers);

        // Every name from inside one container, at 127.0.0.11: that container's address, and nothing else.
        var (resolved, resent) = AssertEveryNameResolves(containers);

        // The container's own resolver path too (busybox nslookup reads resolv.conf), for a sample.
        foreach (var sample in (ContainerAddress[])[containers[0], containers[Count / 2], containers[^2]])
        {
            Assert.Equal([sample.Address.ToString()], Nslookup.Addresses(daemon, containers[^1].Name, sample.Name));
        }

        // berthd killed (-9) and started again: it holds every host port again, keeps the map exactly as it was,
        // and serves every name again; the ports never stopped forwarding.
        daemon.Kill();
        clock.Restart();
        daemon = Restart(daemon);
        var restarted = clock.Elapsed;
        Assert.Empty(DaemonThreads.OutsideItsNamespace(daemon));
        var held = Unbindable(DockerHost, containers.Select(c => c.HostPort));
        Assert.True(held.Count == Count, $"after the restart berthd holds {held.Count} of the {Count} host ports");
        Assert.Equal(map, PortMap(DockerHost));
        var (sweptAgain, _) = AssertEveryPortAnswersItsName(daemon, containers);
        var (resolvedAgain, _) = AssertEveryNameResolves(containers);
        var loaded = Measure(daemon, containers);

        // Remove them all: no forwarding left, and berthd holds nothing of them any more.
        clock.Restart();
        var removal = Exec.RunWithTimeout(TimeSpan.FromSeconds(120), new Dictionary<string, string> { ["DOCKER_HOST"] = daemon.Host }, RepoPaths.DockerCli, ["rm", "-f", .. names]);
        Assert.True(removal.Succeeded, removal.ToString());
        var removed = clock.Elapsed;
        Assert.Empty(PortMap(DockerHost));
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
        Assert.Equal("{}", daemon.DockerChecked("network", "inspect", "-f", "{{json .Containers}}", Network).Output.Trim());

        // A veth goes with its container's namespace, which the kernel dismantles in the background: poll.
        string Ports() => HostIp("-o", "link", "show", "master", "br-" + networkId[..12]).Trim();
        Assert.True(Poll.Until(() => Ports().Length == 0, TimeSpan.FromSeconds(10)), $"the bridge still has ports after every container went:\n{Ports()}\nberthd's threads elsewhere: {string.Join(", ", DaemonThreads.OutsideItsNamespace(daemon))}");
        var taken = Unbindable(DockerHost, containers.Select(c => c.HostPort));
        Assert.True(taken.Count == 0, $"host ports still held after every container went: {string.Join(", ", taken.Take(20))}");
        var after = Measure(daemon);

        // Its port-holding and resolver sockets are closed: berthd has no more descriptors than before (a little slack
        // for pooled connections and caches it keeps).
        Assert.True(after.Fds <= idle.Fds + 16, $"berthd had {idle.Fds} descriptors before the containers, {loaded.Fds} with them, {after.Fds} after; more than before: {after.MoreThan(idle)}");

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"""
            scale: {Count} containers on one /22, each with a published port (half fixed, half random)
              create + start (docker run -d, {CreateParallelism} at a time): {created.TotalSeconds:0.0} s, {Count / created.TotalSeconds:0.0}/s; one docker run: median {Median(each.Take(SampleSize))} ms of the first {SampleSize}, {Median(each.TakeLast(SampleSize))} ms of the last {SampleSize}
              HTTP from the LAN to every published port ({HttpParallelism} in flight): {swept.TotalSeconds:0.00} s, {retried} requests repeated; after the restart {sweptAgain.TotalSeconds:0.00} s
              DNS A for every name at 127.0.0.11 (UDP, {DnsWindow} in flight): {resolved.TotalMilliseconds:0} ms, {resent} resent; after the restart {resolvedAgain.TotalMilliseconds:0} ms
              berthd kill -9 and start again, to its first answer: {restarted.TotalSeconds:0.00} s
              docker rm -f of all: {removed.TotalSeconds:0.0} s
              berthd RSS: {idle.RssKb / 1024.0:0.0} MB idle, {loaded.RssKb / 1024.0:0.0} MB with {Count} containers (the restarted one), {after.RssKb / 1024.0:0.0} MB after
              berthd file descriptors: {idle.Fds} idle, {loaded.Fds} with {Count} containers, {after.Fds} after
              per container (PSS): server {loaded.ServerPssKb / (double)Count:0} KB, conmon {loaded.ConmonPssKb / (double)Count:0} KB
            """));
        daemon.DockerChecked("network", "rm", Network);
        daemon.Stop();
    }

    /// <summary>Every published port answers its container's name from the LAN; how long the sweep took and how many requests were repeated.</summary>
    private (TimeSpan Took, int Repeated) AssertEveryPortAnswersItsName(Berthd daemon, IReadOnlyList<ContainerAddress> containers)
    {
        var clock = Stopwatch.StartNew();
        var (wrong, repeated) = HttpSweep(containers);
        Assert.True(wrong.Count == 0, $"{wrong.Count} published ports did not answer with their container's name within {HttpDeadline.TotalSeconds:0} s:\n  "
            + string.Join("\n  ", wrong.Take(20)) + "\n--- berthd log (tail) ---\n" + Tail(daemon.Log));
        return (clock.Elapsed, repeated);
    }

    /// <summary>
    /// Every container's name, asked at 127.0.0.11 from inside the last container's namespace, is that container's
    /// address alone; how long it took and how many queries were sent again.
    /// </summary>
    private (TimeSpan Took, int Resent) AssertEveryNameResolves(IReadOnlyList<ContainerAddress> containers)
    {
        var clock = Stopwatch.StartNew();
        using var dns = new UdpDnsClient(containers[^1].Pid, Runner);
        var answers = dns.QueryA([.. containers.Select(c => c.Name)], DnsWindow, DnsDeadline);
        var took = clock.Elapsed;
        var unresolved = containers
            .Where(c => !answers.TryGetValue(c.Name, out var a) || a.ResponseCode != 0 || !a.Addresses.SequenceEqual([c.Address.ToString()]))
            .Select(c => $"{c.Name}: expected {c.Address}, got " + (answers.TryGetValue(c.Name, out var a) ? $"rcode {a.ResponseCode} [{string.Join(", ", a.Addresses)}]" : "no answer"))
            .ToList();
        Assert.True(unresolved.Count == 0, $"{unresolved.Count} names did not resolve to their container's address:\n  " + string.Join("\n  ", unresolved.Take(20)));
        return (took, dns.Retries);
    }

    /// <summary>GET / on every container's host port from the LAN peer: a line for each that never answered its name, and how many requests were repeated.</summary>
    private (List<string> Wrong, int Retried) HttpSweep(IReadOnlyList<ContainerAddress> containers)
    {
        int retried = 0;
        using var http = new NetnsHttpClient(LanPeer.NetnsPath, Runner);
        var wrong = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEachAsync(containers, new ParallelOptions { MaxDegreeOfParallelism = HttpParallelism }, async (c, cancellationToken) =>
        {
            // Each container started its server before docker run returned, but httpd may need a moment: poll.
            DateTime deadline = DateTime.UtcNow + HttpDeadline;
            string? body = await http.TryGetAsync($"http://10.77.0.10:{c.HostPort}/", HttpAttempt);
            while (body?.Trim() != c.Name && DateTime.UtcNow < deadline)
            {
                Interlocked.Increment(ref retried);
                await Task.Delay(HttpRetryInterval, cancellationToken);
                body = await http.TryGetAsync($"http://10.77.0.10:{c.HostPort}/", HttpAttempt);
            }

            if (body?.Trim() != c.Name)
            {
                wrong.Add($"{c.Name} on host port {c.HostPort}: " + (body is null ? "no answer" : $"\"{body.Trim()}\""));
            }
        }).GetAwaiter().GetResult();
        return ([.. wrong.Order(StringComparer.Ordinal)], retried);
    }

    /// <summary>One docker inspect for all: each container's pid, address on <see cref="Network"/> and 0.0.0.0 host port.</summary>
    private static List<ContainerAddress> Inspect(Berthd daemon, string[] names)
    {
        string format = "{{.Name}} {{.State.Pid}} {{.NetworkSettings.Networks." + Network + ".IPAddress}}"
            + " {{range (index .NetworkSettings.Ports \"80/tcp\")}}{{if eq .HostIp \"0.0.0.0\"}}{{.HostPort}}{{end}}{{end}}";
        string listing = daemon.DockerChecked(["inspect", "-f", format, .. names]).Output;
        var result = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            string[] f = line.Split(' ');
            Assert.True(f.Length == 4 && f[3].Length > 0, $"unexpected inspect line \"{line}\"");
            return new ContainerAddress(f[0].TrimStart('/'), int.Parse(f[1], CultureInfo.InvariantCulture), IPAddress.Parse(f[2]), int.Parse(f[3], CultureInfo.InvariantCulture));
        }).ToList();
        Assert.Equal(names, result.Select(c => c.Name));
        return result;
    }

    /// <summary>The elements of <c>inet berth ports_any_v4</c> as the kernel lists them: host port → (address, port).</summary>
    private static Dictionary<int, (IPAddress Address, int Port)> PortMap(LabHost host)
    {
        string json = Cmd.Check("ip", "netns", "exec", host.NetnsName, "nft", "-j", "list", "map", "inet", "berth", "ports_any_v4");
        var result = new Dictionary<int, (IPAddress, int)>();
        using var document = JsonDocument.Parse(json);
        foreach (var item in document.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (!item.TryGetProperty("map", out var map) || !map.TryGetProperty("elem", out var elements))
            {
                continue;
            }

            // [ {"concat": ["tcp", 20000]}, {"concat": ["10.200.0.2", 80]} ]
            foreach (var element in elements.EnumerateArray())
            {
                var key = element[0].GetProperty("concat");
                var value = element[1].GetProperty("concat");
                Assert.Equal("tcp", key[0].GetString());
                Assert.True(result.TryAdd(key[1].GetInt32(), (IPAddress.Parse(value[0].GetString()!), value[1].GetInt32())), $"host port {key[1]} twice in the map");
            }
        }

        return result;
    }

    /// <summary>The host ports of <paramref name="ports"/> that a new socket in <paramref name="host"/> cannot bind.</summary>
    private List<int> Unbindable(LabHost host, IEnumerable<int> ports)
    {
        using var netns = NetnsHandle.Open(host.NetnsPath);
        return Runner.Run(netns, () => ports.Where(port =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Any, port));
                return false;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return true;
            }
        }).ToList());
    }

    private static (int Low, int High) EphemeralRange(LabHost host)
    {
        string[] range = host.Exec("cat", "/proc/sys/net/ipv4/ip_local_port_range").Output.Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return (int.Parse(range[0], CultureInfo.InvariantCulture), int.Parse(range[1], CultureInfo.InvariantCulture));
    }

    /// <summary>berthd's resident memory and descriptors; the containers' servers' and monitors' proportional memory.</summary>
    private Figures Measure(Berthd daemon, IEnumerable<ContainerAddress>? containers = null)
    {
        long rss = File.ReadLines($"/proc/{daemon.Pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).Single();
        string[] fds = [.. Directory.GetFileSystemEntries($"/proc/{daemon.Pid}/fd").Select(Target)];
        string[] conmons = Cmd.Run("pgrep", "-f", "conmon .*" + TestRoot).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        long servers = (containers ?? []).Sum(c => Pss(c.Pid.ToString(CultureInfo.InvariantCulture)));
        return new Figures(rss, fds, servers, conmons.Sum(Pss));
    }

    /// <summary>Proportional set size in KB of a process (0 when it is gone).</summary>
    private static long Pss(string pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/smaps_rollup").Where(l => l.StartsWith("Pss:", StringComparison.Ordinal))
                .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).Single();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>How many creates at each end of the run are compared: a cost that grows with the count shows there.</summary>
    private const int SampleSize = 50;

    private static long Median(IEnumerable<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        return (long)sorted[sorted.Count / 2].TotalMilliseconds;
    }

    private static string Tail(string log) => log.Length <= 4000 ? log : log[^4000..];

    private sealed record ContainerAddress(string Name, int Pid, IPAddress Address, int HostPort);

    /// <summary>What a descriptor is: a path, or the kind of socket/pipe/anon inode (without its inode number).</summary>
    private static string Target(string fd)
    {
        try
        {
            string target = new FileInfo(fd).LinkTarget ?? "?";
            return target.Contains(":[", StringComparison.Ordinal) ? target[..target.IndexOf(":[", StringComparison.Ordinal)] : target;
        }
        catch (IOException)
        {
            return "(closed meanwhile)";
        }
    }

    /// <summary>berthd's descriptors: how many, and by what they are.</summary>
    private sealed record Figures(long RssKb, string[] FdTargets, long ServerPssKb, long ConmonPssKb)
    {
        public int Fds => FdTargets.Length;

        /// <summary>The kinds of descriptor this has more of than <paramref name="before"/>, with the difference.</summary>
        public string MoreThan(Figures before) => string.Join(", ", FdTargets.GroupBy(t => t, StringComparer.Ordinal)
            .Select(g => (Kind: g.Key, More: g.Count() - before.FdTargets.Count(t => t == g.Key)))
            .Where(k => k.More > 0).Select(k => $"{k.Kind} +{k.More}"));
    }
}
