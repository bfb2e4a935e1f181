using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Linux.Namespaces;

namespace Berth.Linux.IntegrationTests.Fixtures;

/// <summary>
/// TCP endpoints inside lab namespaces: a socket created on a thread inside a namespace stays in
/// it, so it is created through the namespace's runner and then used from ordinary test code.
/// </summary>
public static class TcpProbe
{
    public static Socket Listen(NetworkNamespace netns, IPEndPoint endpoint) => netns.Run(() =>
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(endpoint);
        socket.Listen(8);
        return socket;
    });

    /// <summary>Connects from <paramref name="netns"/>, sends <paramref name="message"/>; returns the error or null.</summary>
    public static SocketError? Send(NetworkNamespace netns, IPEndPoint target, string message, TimeSpan timeout)
    {
        using var socket = netns.Run(() => new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            socket.ConnectAsync(target, cancel.Token).AsTask().GetAwaiter().GetResult();
            socket.Send(Encoding.ASCII.GetBytes(message));
            socket.Shutdown(SocketShutdown.Send);
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
        catch (OperationCanceledException)
        {
            return SocketError.TimedOut;
        }
    }

    /// <summary>Accepts one connection and reads it to the end.</summary>
    public static string Receive(Socket listener, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var connection = listener.AcceptAsync(cancel.Token).AsTask().GetAwaiter().GetResult();
        var received = new MemoryStream();
        var buffer = new byte[1024];
        int n;
        while ((n = connection.ReceiveAsync(buffer, SocketFlags.None, cancel.Token).AsTask().GetAwaiter().GetResult()) > 0)
        {
            received.Write(buffer, 0, n);
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }
}
