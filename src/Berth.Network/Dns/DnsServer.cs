using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Linux.Namespaces;
using Berth.Linux.Sockets;
using Berth.Network.Containers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Dns;

/// <summary>
/// The one embedded resolver of berthd. For each attached container it opens a UDP and a TCP socket at
/// 127.0.0.11:53 inside the container's network namespace (on the namespace runner's dedicated thread,
/// which never awaits), then serves them from ordinary async code. The receiving socket tells which
/// container asked, and so which networks its answers may come from. See README.md.
/// </summary>
public sealed partial class DnsServer : IAsyncDisposable
{
    /// <summary>Docker's embedded resolver address, which containers' resolv.conf points to.</summary>
    public static readonly IPEndPoint ListenEndPoint = new(ResolvConf.EmbeddedResolver, DnsPort);

    public const int DnsPort = 53;

    private readonly ConcurrentDictionary<string, DnsListener> listeners = new(StringComparer.Ordinal);
    private readonly NamespaceRunner runner;
    private readonly ConcurrentStack<DatagramBatch> batches = new();

    /// <summary>Datagrams taken per recvmmsg(2) and answered per sendmmsg(2).</summary>
    internal const int UdpBatchSize = 32;

    private static readonly int KeptBatches = Environment.ProcessorCount * 2;

    public DnsServer(DnsRegistry registry, DnsForwarder forwarder, NamespaceRunner? runner = null, ILogger? logger = null)
    {
        Registry = registry;
        Forwarder = forwarder;
        this.runner = runner ?? NamespaceRunner.Shared;
        Logger = logger ?? NullLogger.Instance;
    }

    public DnsRegistry Registry { get; }

    public DnsForwarder Forwarder { get; }

    internal ILogger Logger { get; }

    /// <summary>Forwarders of containers with their own <c>--dns</c> servers (the others use <see cref="Forwarder"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DnsForwarder> containerForwarders = new(StringComparer.Ordinal);

    /// <summary>
    /// A container's own <c>--dns</c> servers: names the registry does not know, asked by that container,
    /// go there instead of to the daemon's upstreams. Empty: the daemon's again.
    /// </summary>
    public void SetUpstreams(string containerId, IReadOnlyCollection<IPEndPoint> upstreams)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        if (upstreams.Count == 0)
        {
            containerForwarders.TryRemove(containerId, out _);
            return;
        }

        // A replaced forwarder is not disposed: a query may still be using it; it holds no OS resource.
        containerForwarders[containerId] = new DnsForwarder(upstreams, Forwarder.AttemptTimeout, Logger);
    }

    /// <summary>The forwarder for queries of <paramref name="containerId"/>.</summary>
    internal DnsForwarder ForwarderFor(string containerId) =>
        containerForwarders.TryGetValue(containerId, out DnsForwarder? own) ? own : Forwarder;

    /// <summary>Containers the resolver serves now.</summary>
    public IReadOnlyCollection<string> Attached => listeners.Keys.ToList();

    /// <summary>
    /// Starts serving <paramref name="containerId"/> inside <paramref name="netns"/>; a container served
    /// already gets fresh sockets (e.g. its namespace was replaced).
    /// </summary>
    public async Task AttachAsync(string containerId, NetnsHandle netns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(netns);
        (Socket Udp, Socket Tcp) sockets;
        try
        {
            sockets = await runner.RunAsync(netns, OpenSockets, cancellationToken);
        }
        catch (SocketException exception)
        {
            throw new BerthException(
                ErrorKind.Unavailable,
                $"container {containerId}: cannot open the DNS resolver at {ListenEndPoint} in its network namespace ({exception.Message}); is something else listening there?",
                exception);
        }

        var listener = new DnsListener(this, containerId, sockets.Udp, sockets.Tcp);
        if (listeners.TryRemove(containerId, out DnsListener? previous))
        {
            await previous.DisposeAsync();
        }

        listeners[containerId] = listener;
        listener.Start();
        Logger.Attached(containerId);
    }

    /// <summary>Stops serving <paramref name="containerId"/> and closes its sockets; nothing if it was not served.</summary>
    public async Task DetachAsync(string containerId)
    {
        if (listeners.TryRemove(containerId, out DnsListener? listener))
        {
            await listener.DisposeAsync();
            Logger.Detached(containerId);
        }

        if (containerForwarders.TryRemove(containerId, out DnsForwarder? own))
        {
            own.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (string containerId in listeners.Keys.ToList())
        {
            await DetachAsync(containerId);
        }

        while (batches.TryPop(out DatagramBatch? batch))
        {
            batch.Dispose();
        }
    }

    /// <summary>
    /// A batch for one turn of a UDP receive loop. Batches are shared by all listeners (a few are busy
    /// at once, not one per container): at most <see cref="KeptBatches"/> are kept between turns.
    /// </summary>
    internal DatagramBatch RentBatch() => batches.TryPop(out DatagramBatch? batch) ? batch : new DatagramBatch(UdpBatchSize, DnsWire.MaxUdpPayload);

    internal void ReturnBatch(DatagramBatch batch)
    {
        if (batches.Count < KeptBatches)
        {
            batches.Push(batch);
        }
        else
        {
            batch.Dispose();
        }
    }

    // Runs on the namespace runner's thread inside the container's namespace: synchronous only.
    private static (Socket Udp, Socket Tcp) OpenSockets()
    {
        var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            AllowNonLocalBind(udp);
            AllowNonLocalBind(tcp);
            udp.Bind(ListenEndPoint);
            tcp.Bind(ListenEndPoint);
            tcp.Listen(TcpBacklog);
            return (udp, tcp);
        }
        catch
        {
            udp.Dispose();
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// IP_FREEBIND (linux/in.h) lets the bind succeed before the namespace's loopback is up: the sockets
    /// can be opened as soon as the namespace exists, and serve once lo comes up.
    /// </summary>
    private static void AllowNonLocalBind(Socket socket) =>
        socket.SetRawSocketOption(SolIp, IpFreebind, BitConverter.GetBytes(1));

    private const int SolIp = 0;
    private const int IpFreebind = 15;
    private const int TcpBacklog = 128;
}
