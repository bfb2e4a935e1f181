using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;

namespace Berth.Network.IntegrationTests.Services;

/// <summary>A service's task in miniature: a TCP listener in a lab namespace that answers each connection with its name.</summary>
internal static class TaskServer
{
    /// <summary>
    /// Serves until <paramref name="stopping"/>; the returned task ends then. With <paramref name="tellPeer"/> the answer is
    /// "NAME from PEER-ADDRESS": the source address the task saw.
    /// </summary>
    public static Task Serve(NetworkNamespace task, string name, IPEndPoint endpoint, CancellationToken stopping, bool tellPeer = false)
    {
        var listener = TcpProbe.Listen(task, endpoint);
        return Task.Run(async () =>
        {
            using (listener)
            {
                while (!stopping.IsCancellationRequested)
                {
                    try
                    {
                        using var connection = await listener.AcceptAsync(stopping);
                        string answer = tellPeer ? $"{name} from {((IPEndPoint)connection.RemoteEndPoint!).Address}" : name;
                        await connection.SendAsync(Encoding.ASCII.GetBytes(answer), SocketFlags.None, stopping);
                        connection.Shutdown(SocketShutdown.Both);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    catch (SocketException)
                    {
                        // The client went away first: serve the next one.
                    }
                }
            }
        }, CancellationToken.None);
    }

    /// <summary>Connects from <paramref name="client"/> and returns who answered, or the error.</summary>
    public static (string? Answer, SocketError? Error) Ask(NetworkNamespace client, IPEndPoint target, TimeSpan timeout)
    {
        using var socket = client.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            socket.ConnectAsync(target, cancel.Token).AsTask().GetAwaiter().GetResult();
            var buffer = new byte[64];
            int total = 0, n;
            while ((n = socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, cancel.Token).AsTask().GetAwaiter().GetResult()) > 0)
            {
                total += n;
            }

            return (Encoding.ASCII.GetString(buffer, 0, total), null);
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
}
