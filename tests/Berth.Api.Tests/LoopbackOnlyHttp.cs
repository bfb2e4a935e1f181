using System.Net;
using System.Net.Sockets;

namespace Berth.Api.Tests;

/// <summary>
/// The image store's HTTP for hosts the tests run in the machine's own namespace: only loopback addresses are ever
/// connected to, and no name is resolved, so a fuzzed pull or login naming Docker Hub or any other registry fails at
/// once (an unreachable registry) instead of sending a packet off the machine.
/// </summary>
internal static class LoopbackOnlyHttp
{
    public static HttpClient Client() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            string host = context.DnsEndPoint.Host.Trim('[', ']');
            if (!IPAddress.TryParse(host == "localhost" ? "127.0.0.1" : host, out var address) || !IPAddress.IsLoopback(address))
            {
                throw new HttpRequestException($"the tests reach loopback only, not {context.DnsEndPoint.Host}", null, HttpStatusCode.ServiceUnavailable);
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });
}
