using System.Net;
using System.Net.Sockets;
using Berth.Linux.Namespaces;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>A TCP service on an address and port inside a network namespace: writes "<c>answer</c>\n" to every connection and closes it.</summary>
public sealed class TcpAnswer : IDisposable
{
    private readonly Socket _socket;
    private readonly Task _loop;
    private readonly byte[] _answer;

    public TcpAnswer(string netnsPath, IPEndPoint at, string answer)
    {
        _answer = System.Text.Encoding.ASCII.GetBytes(answer + "\n");
        using var netns = NetnsHandle.Open(netnsPath);
        _socket = NamespaceRunner.Shared.Run(netns, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(at);
            socket.Listen();
            return socket;
        });
        _loop = Task.Run(ServeAsync);
    }

    public void Dispose()
    {
        _socket.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // ends with the socket
        }
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            Socket connection;
            try
            {
                connection = await _socket.AcceptAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            using (connection)
            {
                try
                {
                    await connection.SendAsync(_answer);
                    connection.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                    // the client went away
                }
            }
        }
    }
}
