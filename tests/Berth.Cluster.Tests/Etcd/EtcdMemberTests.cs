using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Cluster.Etcd;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Cluster.Tests.Etcd;

/// <summary>
/// A real etcd (Debian's etcd-server) run by <see cref="EtcdMember"/> on loopback ports of its own, over mutual TLS:
/// it serves, comes back when killed, a member left by a killed berthd is replaced, and nothing is left running.
/// </summary>
public sealed class EtcdMemberTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "berth-etcd-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        foreach (var process in Process.GetProcessesByName("etcd"))
        {
            using (process)
            {
                if (CommandLine(process.Id).Contains(_directory, StringComparison.Ordinal))
                {
                    process.Kill();
                    process.WaitForExit();
                }
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ServesOverMutualTlsAndLeavesNothingRunningWhenStopped()
    {
        var options = Options();
        await using (var member = new EtcdMember(options, NullLogger.Instance))
        {
            await member.StartAsync();
            using var health = new EtcdHealthClient(options.Tls);
            Assert.True(await health.HealthyAsync(options.ClientUrl));
            Assert.True(IsRunning(member.Pid));
            Assert.Equal(member.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(options.PidFile));

            // Without a client certificate of the cluster's CA, etcd refuses the connection.
            using var anonymous = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Issuer == "CN=test-ca" } });
            await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.GetAsync(new Uri(options.ClientUrl, "/version")));

            int pid = member.Pid;
            await member.StopAsync();
            Assert.False(IsRunning(pid));
            Assert.False(File.Exists(options.PidFile));
        }

        Assert.True(Directory.Exists(options.DataDirectory), "the member's data outlives a stop");
    }

    [Fact]
    public async Task RunsWithALanElectionTimeoutAndATighterGoHeap()
    {
        var options = Options();
        await using var member = new EtcdMember(options, NullLogger.Instance);
        await member.StartAsync();

        // etcd's own account of what it took: a founding member fast-forwards to one tick before a 500 ms timeout
        // (so swarm init waits at most that for the election), ticking every 100 ms.
        string log = File.ReadAllText(options.LogFile);
        Assert.Contains("\"election-timeout\":\"500ms\"", log, StringComparison.Ordinal);
        Assert.Contains("\"heartbeat-interval\":\"100ms\"", log, StringComparison.Ordinal);
        Assert.Contains("\"pre-vote\":true", log, StringComparison.Ordinal);
        Assert.Contains("\"snapshot-count\":10000", log, StringComparison.Ordinal);
        Assert.Contains("GOGC=25", File.ReadAllText($"/proc/{member.Pid}/environ").Split('\0'));
    }

    [Fact]
    public async Task AMemberKilledWithMinus9IsRestarted()
    {
        var options = Options();
        await using var member = new EtcdMember(options, NullLogger.Instance);
        await member.StartAsync();
        int first = member.Pid;
        Process.GetProcessById(first).Kill();

        using var health = new EtcdHealthClient(options.Tls);
        var clock = Stopwatch.StartNew();
        while (!(member.Pid is not 0 and var pid && pid != first && await health.HealthyAsync(options.ClientUrl)))
        {
            Assert.True(clock.Elapsed < Deadline, "the killed member was not restarted");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task AMemberLeftRunningByAKilledBerthdIsReplaced()
    {
        var options = Options();
        var crashed = new EtcdMember(options, NullLogger.Instance);
        await crashed.StartAsync();
        int leftover = crashed.Pid;
        // berthd killed with -9: no stop; the member keeps running, its pid file stays, nothing supervises it.
        await crashed.AbandonAsync();

        await using var next = new EtcdMember(options, NullLogger.Instance);
        await next.StartAsync();
        Assert.NotEqual(leftover, next.Pid);
        Assert.False(IsRunning(leftover));
        using var health = new EtcdHealthClient(options.Tls);
        Assert.True(await health.HealthyAsync(options.ClientUrl));
    }

    [Fact]
    public async Task AMemberThatCannotStartSaysWhyAndLeavesNothing()
    {
        var options = Options();
        using var taken = new TcpListener(IPAddress.Loopback, options.ClientUrl.Port);
        taken.Start();
        await using var member = new EtcdMember(options, NullLogger.Instance);
        var error = await Assert.ThrowsAsync<Berth.Core.Errors.BerthException>(() => member.StartAsync());
        Assert.Contains("etcd member m1", error.Message, StringComparison.Ordinal);
        Assert.Contains("address already in use", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(options.PidFile));
        Assert.DoesNotContain(Process.GetProcessesByName("etcd"), p => CommandLine(p.Id).Contains(_directory, StringComparison.Ordinal));
    }

    private EtcdMemberOptions Options()
    {
        var client = new Uri($"https://127.0.0.1:{FreePort()}");
        var peer = new Uri($"https://127.0.0.1:{FreePort()}");
        return new EtcdMemberOptions
        {
            Binary = "/usr/bin/etcd",
            Name = "m1",
            DataDirectory = Path.Combine(_directory, "swarm", "etcd"),
            ClientUrl = client,
            PeerUrl = peer,
            InitialCluster = [new EtcdPeer("m1", peer)],
            ClusterToken = "test",
            Tls = TestCertificates.Write(Path.Combine(_directory, "certs"), "m1"),
        };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRunning(int pid) => File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Length > 0;

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
