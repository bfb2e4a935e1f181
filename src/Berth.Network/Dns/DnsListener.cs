using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Berth.Linux.Sockets;

namespace Berth.Network.Dns;

/// <summary>
/// The resolver's two sockets in one container's namespace and the loops serving them. Registry
/// answers are sent from the receive loop itself; forwarded queries run on their own so a slow
/// upstream never holds up the container's other queries.
/// </summary>
internal sealed class DnsListener : IAsyncDisposable
{
    /// <summary>A TCP client idle this long is disconnected (RFC 7766 §6.2.3 suggests seconds, not minutes).</summary>
    private static readonly TimeSpan TcpIdleTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Batches one loop answers before it lets other containers' loops run.</summary>
    private const int MaxBatchesPerTurn = 64;

    private readonly DnsServer server;
    private readonly string containerId;
    private readonly Socket udp;
    private readonly Socket tcp;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> loops = [];

    // Forwarded UDP queries and TCP connections in flight; awaited on dispose so nothing of this
    // listener outlives it (an open connection would keep the container's namespace alive).
    private readonly ConcurrentDictionary<Task, bool> inFlight = new();

    public DnsListener(DnsServer server, string containerId, Socket udp, Socket tcp)
    {
        this.server = server;
        this.containerId = containerId;
        this.udp = udp;
        this.tcp = tcp;
    }

    public void Start()
    {
        loops.Add(Task.Run(() => ServeUdpAsync(stopping.Token)));
        loops.Add(Task.Run(() => ServeTcpAsync(stopping.Token)));
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        udp.Dispose();
        tcp.Dispose();
        await Task.WhenAll(loops);
        await Task.WhenAll(inFlight.Keys);
        stopping.Dispose();
    }

    private async Task ServeUdpAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // A zero-byte peek completes once a datagram waits, without taking it: the datagrams are
                // then taken and answered in batches, without waiting, for as long as they keep coming.
                try
                {
                    await udp.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, cancellationToken);
                }
                catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                {
                    // An ICMP error from an earlier reply: not the socket's end.
                    continue;
                }

                DatagramBatch batch = server.RentBatch();
                bool more;
                try
                {
                    more = AnswerWaiting(batch, cancellationToken);
                }
                finally
                {
                    server.ReturnBatch(batch);
                }

                // One container's flood must not keep this thread from the others' loops.
                if (more)
                {
                    await Task.Yield();
                }
            }
        }
        catch (Exception exception) when (IsStopping(exception, cancellationToken))
        {
        }
        catch (Exception exception)
        {
            server.Logger.LoopFailed(containerId, DnsTransport.Udp, exception);
        }
    }

    /// <summary>
    /// Answers the datagrams waiting on the UDP socket, at most <see cref="MaxBatchesPerTurn"/> batches: the
    /// registry's answers go out together in one sendmmsg per batch, forwarded queries on their own.
    /// True when it stopped with datagrams possibly still waiting.
    /// </summary>
    private bool AnswerWaiting(DatagramBatch batch, CancellationToken cancellationToken)
    {
        for (int turn = 0; turn < MaxBatchesPerTurn; turn++)
        {
            if (batch.Receive(udp.SafeHandle) == 0)
            {
                return false;
            }

            for (int i = 0; i < batch.Count; i++)
            {
                if (batch.Truncated(i))
                {
                    continue;
                }

                ReadOnlySpan<byte> message = batch.Message(i);
                int length = server.AnswerLocally(containerId, message, DnsTransport.Udp, batch.ReplyBuffer(i), out DnsQuery? forward);
                if (forward is not null)
                {
                    Track(ForwardUdpAsync(forward, message.ToArray(), batch.Sender(i), cancellationToken));
                }
                else
                {
                    batch.SetReply(i, length);
                }
            }

            batch.SendReplies(udp.SafeHandle);
            if (batch.Count < batch.Capacity)
            {
                return false;
            }
        }

        return true;
    }

    private async Task ForwardUdpAsync(DnsQuery query, byte[] message, EndPoint client, CancellationToken cancellationToken)
    {
        try
        {
            byte[] answer = await server.ForwarderFor(containerId).ForwardAsync(query, message, DnsTransport.Udp, cancellationToken);
            await SendQuietlyAsync(answer, client, cancellationToken);
        }
        catch (Exception exception) when (IsStopping(exception, cancellationToken))
        {
        }
    }

    private async Task SendQuietlyAsync(byte[] answer, EndPoint client, CancellationToken cancellationToken)
    {
        try
        {
            await udp.SendToAsync(answer, SocketFlags.None, client, cancellationToken);
        }
        catch (SocketException)
        {
            // The client went away; UDP has no one to tell.
        }
    }

    private async Task ServeTcpAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Socket connection = await tcp.AcceptAsync(cancellationToken);
                Track(ServeConnectionAsync(connection, cancellationToken));
            }
        }
        catch (Exception exception) when (IsStopping(exception, cancellationToken))
        {
        }
        catch (Exception exception)
        {
            server.Logger.LoopFailed(containerId, DnsTransport.Tcp, exception);
        }
    }

    private async Task ServeConnectionAsync(Socket connection, CancellationToken cancellationToken)
    {
        using (connection)
        {
            try
            {
                while (true)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    idle.CancelAfter(TcpIdleTimeout);
                    byte[]? message = await DnsTcp.ReadMessageAsync(connection, idle.Token);
                    if (message is null)
                    {
                        return;
                    }

                    byte[]? answer = await server.AnswerAsync(containerId, message, DnsTransport.Tcp, cancellationToken);
                    if (answer is null)
                    {
                        return;
                    }

                    await DnsTcp.WriteMessageAsync(connection, answer, cancellationToken);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or InvalidDataException or ObjectDisposedException)
            {
                // Idle, gone, broken framing or shutting down: the connection just ends.
            }
        }
    }

    private void Track(Task task)
    {
        if (!task.IsCompleted)
        {
            inFlight[task] = true;
            _ = task.ContinueWith(done => inFlight.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private static bool IsStopping(Exception exception, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested && exception is OperationCanceledException or ObjectDisposedException or SocketException;
}
