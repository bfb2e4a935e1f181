using System.Net;
using System.Net.Sockets;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

/// <summary>
/// A tiny DNS server on 127.0.0.1 (UDP and TCP, one port) standing for an upstream resolver: it answers
/// every A query with <see cref="Address"/> and counts what it got. Shared with the integration tests.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private const int BindAttempts = 10;

    private readonly Socket udp;
    private readonly Socket tcp;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task[] loops;
    private int udpQueries;
    private int tcpQueries;

    private FakeUpstream(Socket udp, Socket tcp, IPAddress address)
    {
        this.udp = udp;
        this.tcp = tcp;
        Address = address;
        loops = [ServeUdpAsync(), ServeTcpAsync()];
    }

    public IPAddress Address { get; }

    public IPEndPoint EndPoint => (IPEndPoint)udp.LocalEndPoint!;

    public int UdpQueries => Volatile.Read(ref udpQueries);

    public int TcpQueries => Volatile.Read(ref tcpQueries);

    public static FakeUpstream Start(IPAddress address)
    {
        for (int attempt = 0; ; attempt++)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                tcp.Bind(udp.LocalEndPoint!);
                tcp.Listen(16);
                return new FakeUpstream(udp, tcp, address);
            }
            catch (SocketException) when (attempt < BindAttempts)
            {
                // The UDP port's TCP twin was taken: try another port.
                udp.Dispose();
                tcp.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        udp.Dispose();
        tcp.Dispose();
        await Task.WhenAll(loops);
        stopping.Dispose();
    }

    private byte[] Answer(byte[] message, DnsTransport transport)
    {
        Assert.Equal(DnsQueryStatus.Ok, DnsQuery.TryParse(message, out DnsQuery? query, out _));
        DnsRecord[] answers = query!.Question.Type == DnsRecordType.A ? [DnsRecord.ForAddress(query.Question.Name, Address, 30)] : [];
        return DnsResponse.Build(query, DnsResponseCode.NoError, answers, transport, authoritative: false);
    }

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var received = await udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stopping.Token);
                Interlocked.Increment(ref udpQueries);
                await udp.SendToAsync(Answer(buffer[..received.ReceivedBytes], DnsTransport.Udp), SocketFlags.None, received.RemoteEndPoint, stopping.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && stopping.IsCancellationRequested)
        {
        }
    }

    private async Task ServeTcpAsync()
    {
        try
        {
            while (true)
            {
                using Socket connection = await tcp.AcceptAsync(stopping.Token);
                var prefix = new byte[2];
                await connection.ReceiveAsync(prefix, SocketFlags.None, stopping.Token);
                var message = new byte[(prefix[0] << 8) | prefix[1]];
                int read = 0;
                while (read < message.Length)
                {
                    read += await connection.ReceiveAsync(message.AsMemory(read), SocketFlags.None, stopping.Token);
                }

                Interlocked.Increment(ref tcpQueries);
                byte[] answer = Answer(message, DnsTransport.Tcp);
                await connection.SendAsync(new byte[] { (byte)(answer.Length >> 8), (byte)answer.Length }.Concat(answer).ToArray(), SocketFlags.None, stopping.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && stopping.IsCancellationRequested)
        {
        }
    }
}
