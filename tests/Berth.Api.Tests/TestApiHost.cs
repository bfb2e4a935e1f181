using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Berth.Api.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Berth.Api.Tests;

/// <summary>The real Kestrel host on a temporary unix socket, with a <see cref="FakeNetworkService"/> behind it.</summary>
internal sealed class TestApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApiHost(WebApplication app, string socketPath, FakeNetworkService networks, BerthApiOptions options)
    {
        _app = app;
        SocketPath = socketPath;
        Networks = networks;
        Options = options;
        Client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        {
            BaseAddress = new Uri("http://api.moby.localhost"),
        };
    }

    public string SocketPath { get; }

    public FakeNetworkService Networks { get; }

    public BerthApiOptions Options { get; }

    public HttpClient Client { get; }

    /// <summary>
    /// Starts the host; with <paramref name="images"/> the image routes are served from that store, and with
    /// <paramref name="containers"/> too the container, exec, volume and network-connect routes from that engine;
    /// <paramref name="swarm"/> and <paramref name="services"/> serve the cluster's routes.
    /// </summary>
    public static async Task<TestApiHost> StartAsync(Runtime.Images.ImageStore? images = null, Runtime.Engine.IContainerEngine? containers = null, Cluster.Swarm.ISwarm? swarm = null,
        Cluster.Services.IServices? services = null, Cluster.Secrets.ISecrets? secrets = null)
    {
        string socketPath = Path.Combine(Path.GetTempPath(), $"berth-api-test-{Guid.NewGuid():N}.sock");
        var options = new BerthApiOptions
        {
            Hosts = [$"unix://{socketPath}"],
            SocketGroup = "berth-test-group-that-does-not-exist",
            Daemon = new DaemonFacts
            {
                DaemonId = "TEST:DAEMON:ID",
                HostName = "testhost",
                KernelVersion = "6.1.0-test",
                OperatingSystem = "Test Linux 1",
                RootDir = "/var/lib/berth-test",
                CpuCount = 2,
                MemoryBytes = 4L << 30,
                GitCommit = "abc1234",
            },
        };
        var networks = new FakeNetworkService();
        WebApplication app = BerthApi.Build(options, networks, containers, images, swarm, services, secrets: secrets);
        await BerthApi.StartAsync(app, options);
        return new TestApiHost(app, socketPath, networks, options);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(SocketPath);
    }
}
