using System.Net.Sockets;
using Berth.Linux.Namespaces;
using Berth.Network.Dns;

namespace Berth.Network.IntegrationTests.Dns;

/// <summary>
/// A DNS client inside a lab namespace, standing for a container's stub resolver: its socket is made on
/// the namespace's runner, so its queries to 127.0.0.11 go to that namespace's loopback.
/// </summary>
public static class DnsProbe
{
    private static int nextId;

    /// <summary>Asks <paramref name="name"/> over <paramref name="transport"/>; the parsed answer, or the socket error.</summary>
    public static (DnsResponse? Response, SocketError? Error) Ask(NetworkNamespace netns, string name, DnsRecordType type, DnsTransport transport, TimeSpan timeout)
    {
        var query = new DnsQuery((ushort)Interlocked.Increment(ref nextId), new DnsQuestion(name, type));
        using var socket = netns.Run(() => transport == DnsTransport.Udp
            ? new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            socket.ConnectAsync(DnsServer.ListenEndPoint, cancel.Token).AsTask().GetAwaiter().GetResult();
            byte[] wire = query.ToWire();
            byte[] answer;
            if (transport == DnsTransport.Udp)
            {
                socket.Send(wire);
                var buffer = new byte[4096];
                int n = socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token).AsTask().GetAwaiter().GetResult();
                answer = buffer[..n];
            }
            else
            {
                socket.Send([(byte)(wire.Length >> 8), (byte)wire.Length, .. wire]);
                var prefix = new byte[2];
                ReadExactly(socket, prefix, cancel.Token);
                answer = new byte[(prefix[0] << 8) | prefix[1]];
                ReadExactly(socket, answer, cancel.Token);
            }

            Assert.True(DnsResponse.TryParse(answer, out DnsResponse? response), "the resolver's answer does not parse");
            Assert.Equal(query.Id, response!.Id);
            return (response, null);
        }
        catch (SocketException e)
        {
            return (null, e.SocketErrorCode);
        }
        catch (OperationCanceledException)
        {
            return (null, SocketError.TimedOut);
        }
    }

    /// <summary>Asks and requires an answer.</summary>
    public static DnsResponse Answer(NetworkNamespace netns, string name, DnsRecordType type = DnsRecordType.A, DnsTransport transport = DnsTransport.Udp)
    {
        var (response, error) = Ask(netns, name, type, transport, TimeSpan.FromSeconds(5));
        Assert.True(response is not null, $"no answer for {name} ({type}) over {transport} from 127.0.0.11 in {netns}: {error}");
        return response!;
    }

    private static void ReadExactly(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken).AsTask().GetAwaiter().GetResult();
            if (n == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            read += n;
        }
    }
}
