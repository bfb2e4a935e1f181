using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Store.Tests.Etcd;

/// <summary>
/// One etcd member on 127.0.0.1 with free ports and its own temporary data directory. Disposing kills it and
/// deletes the directory, whatever the test did. <see cref="StartClusterAsync"/> starts several as one cluster.
/// </summary>
internal sealed class EtcdProcess : IAsyncDisposable
{
    public const string Binary = "/usr/bin/etcd";

    // Heartbeat and election timeout below etcd's defaults (100/1000 ms): a lost leader is noticed in well under a second.
    private const int HeartbeatMs = 50;
    private const int ElectionTimeoutMs = 500;

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private EtcdProcess(string name, string directory, Uri clientUrl, Process process)
    {
        Name = name;
        Directory = directory;
        ClientUrl = clientUrl;
        _process = process;
    }

    public static bool IsInstalled => File.Exists(Binary);

    public string Name { get; }

    public string Directory { get; }

    public Uri ClientUrl { get; }

    public bool IsRunning => !_process.HasExited;

    public static async Task<EtcdProcess> StartAsync(EtcdTls? tls = null) => (await StartClusterAsync(1, tls))[0];

    public static async Task<IReadOnlyList<EtcdProcess>> StartClusterAsync(int members, EtcdTls? tls = null)
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException($"etcd is not installed at {Binary}: apt-get install etcd-server etcd-client (scripts/install-deps.sh does it for ./test.sh)");
        }

        var scheme = tls is null ? "http" : "https";
        var plan = Enumerable.Range(0, members)
            .Select(i => (Name: $"m{i}", Client: new Uri($"{scheme}://127.0.0.1:{FreePort()}"), Peer: new Uri($"http://127.0.0.1:{FreePort()}")))
            .ToList();
        var cluster = string.Join(",", plan.Select(m => $"{m.Name}={m.Peer.ToString().TrimEnd('/')}"));
        var token = $"berth-test-{Guid.NewGuid():N}";
        var started = new List<EtcdProcess>();
        try
        {
            foreach (var member in plan)
            {
                started.Add(Launch(member.Name, member.Client, member.Peer, cluster, token, tls));
            }

            await Task.WhenAll(started.Select(m => m.WaitHealthyAsync(tls)));
            return started;
        }
        catch
        {
            foreach (var member in started)
            {
                await member.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Kills the member (as a crash would) but keeps its directory until dispose.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static EtcdProcess Launch(string name, Uri client, Uri peer, string cluster, string token, EtcdTls? tls)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("berth-etcd-test-").FullName;
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var clientUrl = client.ToString().TrimEnd('/');
        var peerUrl = peer.ToString().TrimEnd('/');
        string[] arguments =
        [
            "--name", name,
            "--data-dir", Path.Combine(directory, "data"),
            "--listen-client-urls", clientUrl,
            "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl,
            "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", cluster,
            "--initial-cluster-state", "new",
            "--initial-cluster-token", token,
            "--heartbeat-interval", HeartbeatMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--election-timeout", ElectionTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The contract tests write more than etcd's default 128 operations in one transaction.
            "--max-txn-ops", "4096",
            "--logger", "zap",
            "--log-level", "warn",
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (tls is not null)
        {
            foreach (var argument in tls.WriteServerFiles(directory))
            {
                info.ArgumentList.Add(argument);
            }
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Binary}");
        var member = new EtcdProcess(name, directory, client, process);
        process.OutputDataReceived += (_, e) => member.Append(e.Data);
        process.ErrorDataReceived += (_, e) => member.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return member;
    }

    private async Task WaitHealthyAsync(EtcdTls? tls)
    {
        using var handler = new SocketsHttpHandler();
        if (tls is not null)
        {
            handler.SslOptions = tls.ClientSslOptions();
        }

        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow + StartDeadline;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"etcd {Name} exited with {_process.ExitCode} while starting:\n{Output()}");
            }

            try
            {
                var health = await http.GetStringAsync(new Uri(ClientUrl, "/health"));
                if (health.Contains("\"health\":\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // No leader yet: /health waits for one.
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"etcd {Name} at {ClientUrl} was not healthy within {StartDeadline.TotalSeconds} s:\n{Output()}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
