using System.Net.Sockets;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>An HttpClient that speaks to a lab berthd over its unix socket, for what the docker CLI cannot time or show.</summary>
public static class DaemonApi
{
    /// <summary>Requests go to <c>http://berthd/…</c>; the caller disposes the client.</summary>
    public static HttpClient Client(Berthd daemon) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(daemon.Socket), cancellationToken);
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
        BaseAddress = new Uri("http://berthd"),
        Timeout = TimeSpan.FromSeconds(60),
    };
}
