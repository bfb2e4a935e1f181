using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Api.ServiceLogs;
using Berth.Cluster.Identity;
using Berth.Cluster.NodeChannel;
using Berth.Cluster.Pki;
using Berth.Cluster.Swarm;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Berth.Runtime.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Api.Tests.ServiceLogs;

/// <summary>
/// The node channel over loopback with real certificates of a cluster CA: a task's log read from its node by another
/// node of the cluster, and every peer that is not one refused.
/// </summary>
public sealed class NodeChannelTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"berth-node-channel-{Guid.NewGuid():N}");
    private readonly ClusterCa _ca = ClusterCa.Create(ClusterId.New(), DateTimeOffset.UtcNow);
    private readonly NodeId _server = NodeId.New();
    private readonly TaskId _task = TaskId.New();
    private readonly ServiceId _service = ServiceId.New();
    private FakeContainerEngine _engine = null!;
    private IAsyncDisposable _listening = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _engine = new FakeContainerEngine(new ImageStore(Path.Combine(_root, "images"), NullLogger<ImageStore>.Instance), _root);
        var container = _engine.Add(new ContainerRecord
        {
            Id = ContainerId.New(),
            Name = $"web.1.{_task.Value}",
            Created = DateTimeOffset.UtcNow,
            ImageId = "sha256:0",
            Status = ContainerStatus.Exited,
            Spec = new ContainerCreateSpec
            {
                Image = "busybox",
                Labels = ImmutableDictionary<string, string>.Empty
                    .Add("com.docker.swarm.task.id", _task.Value)
                    .Add("com.docker.swarm.service.id", _service.Value)
                    .Add("com.docker.swarm.node.id", _server.Value),
            },
        });
        string log = _engine.LogPathOf(container.Id.Value);
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        await File.WriteAllTextAsync(log,
            "2023-11-14T22:13:20.000000001Z stdout F one\n2023-11-14T22:13:21.000000002Z stderr F two\n2023-11-14T22:13:22.000000003Z stdout F three\n");

        _port = FreePort();
        _listening = await new NodeChannelHost(_engine.Queries, _engine.Streams)
            .ListenAsync(new IPEndPoint(IPAddress.Loopback, _port), Credentials("server", _ca, _server));
    }

    public async Task DisposeAsync()
    {
        await _listening.DisposeAsync();
        _engine.Dispose();
        _ca.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_node_of_the_cluster_reads_a_tasks_log_framed_with_its_details()
    {
        var client = new NodeChannelClient(Credentials("client", _ca, NodeId.New()), _port);

        var frames = await ReadAllAsync(client, _task, new TaskLogRequest { Stdout = true, Stderr = true, Details = true, Tail = 2 });

        string details = $"com.docker.swarm.node.id={_server.Value},com.docker.swarm.service.id={_service.Value},com.docker.swarm.task.id={_task.Value}";
        Assert.Equal([(2, $"{details} two\n"), (1, $"{details} three\n")], frames.Select(frame => ((int)frame.Stream, Encoding.UTF8.GetString(frame.Payload))));
    }

    [Fact]
    public async Task Only_the_streams_asked_for_with_timestamps()
    {
        var client = new NodeChannelClient(Credentials("client", _ca, NodeId.New()), _port);

        var frames = await ReadAllAsync(client, _task, new TaskLogRequest { Stderr = true, Timestamps = true });

        Assert.Equal(["2023-11-14T22:13:21.000000002Z two\n"], frames.Select(frame => Encoding.UTF8.GetString(frame.Payload)));
    }

    [Fact]
    public async Task A_task_without_a_container_here_is_not_found()
    {
        var client = new NodeChannelClient(Credentials("client", _ca, NodeId.New()), _port);

        var error = await Assert.ThrowsAsync<BerthException>(() => ReadAllAsync(client, TaskId.New(), new TaskLogRequest { Stdout = true }));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task A_client_of_another_cluster_is_refused()
    {
        using var other = ClusterCa.Create(ClusterId.New(), DateTimeOffset.UtcNow);
        var stranger = new NodeChannelClient(Credentials("stranger", other, NodeId.New(), trust: _ca), _port);

        var error = await Assert.ThrowsAsync<BerthException>(() => ReadAllAsync(stranger, _task, new TaskLogRequest { Stdout = true }));
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused()
    {
        var trusted = Credentials("verifier", _ca, NodeId.New()).Current();
        using var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => trusted.Trusts(certificate as System.Security.Cryptography.X509Certificates.X509Certificate2, DateTimeOffset.UtcNow) },
        };
        using var http = new HttpClient(handler);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri($"https://127.0.0.1:{_port}/tasks/{_task.Value}/logs?stdout=1")));
    }

    [Fact]
    public async Task A_server_of_another_cluster_is_not_trusted()
    {
        using var other = ClusterCa.Create(ClusterId.New(), DateTimeOffset.UtcNow);
        int port = FreePort();
        await using var impostor = await new NodeChannelHost(_engine.Queries, _engine.Streams)
            .ListenAsync(new IPEndPoint(IPAddress.Loopback, port), Credentials("impostor", other, _server, trust: _ca));
        var client = new NodeChannelClient(Credentials("client", _ca, NodeId.New()), port);

        var error = await Assert.ThrowsAsync<BerthException>(() => ReadAllAsync(client, _task, new TaskLogRequest { Stdout = true }));
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
    }

    [Fact]
    public async Task A_port_in_use_is_a_conflict_naming_it()
    {
        var error = await Assert.ThrowsAsync<BerthException>(() => new NodeChannelHost(_engine.Queries, _engine.Streams)
            .ListenAsync(new IPEndPoint(IPAddress.Loopback, _port), Credentials("second", _ca, NodeId.New())));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Contains($"127.0.0.1:{_port}", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<LogFrame>> ReadAllAsync(NodeChannelClient client, TaskId task, TaskLogRequest request)
    {
        var frames = new List<LogFrame>();
        await foreach (var frame in client.TaskLogAsync("127.0.0.1", task, request).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token))
        {
            frames.Add(frame);
        }

        return frames;
    }

    /// <summary>A node's swarm directory: its certificate of <paramref name="issuer"/>, trusting <paramref name="trust"/> (default the issuer).</summary>
    private NodeChannelCredentialSource Credentials(string name, ClusterCa issuer, NodeId node, ClusterCa? trust = null)
    {
        var paths = new SwarmPaths(Path.Combine(_root, name));
        Directory.CreateDirectory(paths.Directory);
        using var certificate = issuer.Issue(node, ClusterRole.Worker, IPAddress.Loopback, CertificateValidity.DefaultNode, DateTimeOffset.UtcNow);
        var pem = CertificatePem.Export(certificate);
        File.WriteAllText(paths.CertificateFile, pem.Certificate);
        File.WriteAllText(paths.KeyFile, pem.Key);
        File.WriteAllText(paths.CaFile, (trust ?? issuer).CertificatePem);
        return new NodeChannelCredentialSource(paths);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
