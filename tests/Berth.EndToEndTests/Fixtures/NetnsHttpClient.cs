using System.Net.Sockets;
using Berth.Linux.Namespaces;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// An HttpClient whose connections start inside a network namespace (a lab host's): each socket is created on a
/// runner thread that has entered the namespace, then connected and used from async code anywhere. One connection per
/// request (<c>Connection: close</c>), so nothing lingers in a pool.
/// </summary>
public sealed class NetnsHttpClient : IDisposable
{
    private readonly NetnsHandle _netns;
    private readonly HttpClient _client;

    public NetnsHttpClient(string netnsPath, NamespaceRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _netns = NetnsHandle.Open(netnsPath);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = await runner.RunAsync(_netns, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), cancellationToken);
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The body of a 200 answer to <c>GET url</c> within <paramref name="timeout"/>; null on any failure.</summary>
    public async Task<string?> TryGetAsync(string url, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.ConnectionClose = true;
        try
        {
            using var response = await _client.SendAsync(request, cancel.Token);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancel.Token) : null;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or SocketException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _netns.Dispose();
    }
}
