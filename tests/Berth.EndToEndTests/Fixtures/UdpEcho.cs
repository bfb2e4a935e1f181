using System.Net;
using System.Net.Sockets;
using Berth.Linux.Namespaces;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>A UDP echo server on a port inside a network namespace (a container's): answers "echo:" + what it got.</summary>
public sealed class UdpEcho : IDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public UdpEcho(string netnsPath, int port)
    {
        using var netns = NetnsHandle.Open(netnsPath);
        _socket = NamespaceRunner.Shared.Run(netns, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            return socket;
        });
        _loop = Task.Run(ServeAsync);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // ends with the socket
        }

        _stop.Dispose();
    }

    /// <summary>Sends <paramref name="text"/> from inside <paramref name="netnsPath"/> to <paramref name="to"/> and returns the answer, or null after a second.</summary>
    public static string? Ask(string netnsPath, IPEndPoint to, string text)
    {
        using var netns = NetnsHandle.Open(netnsPath);
        using var socket = NamespaceRunner.Shared.Run(netns, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        socket.ReceiveTimeout = 1000;
        socket.SendTo(System.Text.Encoding.ASCII.GetBytes(text), to);
        var buffer = new byte[512];
        try
        {
            int n = socket.Receive(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private async Task ServeAsync()
    {
        var buffer = new byte[512];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var got = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                var answer = System.Text.Encoding.ASCII.GetBytes("echo:" + System.Text.Encoding.ASCII.GetString(buffer, 0, got.ReceivedBytes));
                await _socket.SendToAsync(answer, SocketFlags.None, got.RemoteEndPoint, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
