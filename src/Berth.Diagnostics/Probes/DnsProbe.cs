using System.Net;
using System.Net.Sockets;
using Berth.Linux.Namespaces;
using Berth.Linux.Probes;
using Berth.Network.Dns;

namespace Berth.Diagnostics.Probes;

/// <summary>One DNS query over UDP from inside a namespace (a container's, to 127.0.0.11) or from berthd's own (to an upstream).</summary>
public static class DnsProbe
{
    /// <summary>The largest UDP response taken (EDNS0 payloads of 4096 bytes, RFC 6891).</summary>
    private const int MaxResponse = 4096;

    public static async Task<DnsProbeResult> QueryAsync(NamespaceRunner runner, NetnsHandle? netns, IPEndPoint server, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        using Socket socket = await NamespaceSockets.OpenAsync(runner, netns, server.AddressFamily, SocketType.Dgram, ProtocolType.Udp, cancellationToken).ConfigureAwait(false);
        var query = new DnsQuery((ushort)Random.Shared.Next(ushort.MaxValue + 1), new DnsQuestion(name, DnsRecordType.A));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(server, deadline.Token).ConfigureAwait(false);
            await socket.SendAsync(query.ToWire(), SocketFlags.None, deadline.Token).ConfigureAwait(false);
            byte[] buffer = new byte[MaxResponse];
            while (true)
            {
                int received = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token).ConfigureAwait(false);
                if (DnsResponse.TryParse(buffer.AsSpan(0, received), out var response) && response!.Id == query.Id)
                {
                    return new DnsProbeResult(response);
                }
            }
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return new DnsProbeResult(null, $"nothing listens on {server}");
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.AccessDenied)
        {
            return new DnsProbeResult(null, "a firewall rule in the namespace dropped the query (EPERM)");
        }
        catch (SocketException error)
        {
            return new DnsProbeResult(null, error.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DnsProbeResult(null, $"no answer within {timeout.TotalSeconds:0.#} s");
        }
    }
}
