using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Bench;

/// <summary>
/// Short HTTP/1.0 requests, each on a new TCP connection (connect, GET, read to the server's close), from sockets of
/// one namespace (e.g. the docker host's) to one address, or to several taken in turn request by request: a closed loop
/// of a fixed number of concurrent clients, every answer checked (status 200 and the page the container serves) and
/// timed from connect to close.
/// </summary>
internal sealed class HttpLoadGenerator(NetnsSockets sockets, IReadOnlyList<IPEndPoint> servers, string expectedBody)
{
    /// <summary>A request not answered within this long counts as failed (and its time is not a latency).</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private const int ResponseBufferBytes = 4096;

    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\nHost: bench\r\n\r\n");
    private static readonly byte[] StatusOk = Encoding.ASCII.GetBytes(" 200 ");

    private readonly byte[] _body = Encoding.ASCII.GetBytes(expectedBody + "\n");

    private long _requests;

    public HttpLoadGenerator(NetnsSockets sockets, IPEndPoint server, string expectedBody)
        : this(sockets, [server], expectedBody)
    {
    }

    /// <summary>One request: true when the expected page came back.</summary>
    public bool TryGet() => GetAsync(new byte[ResponseBufferBytes]).GetAwaiter().GetResult();

    /// <summary><paramref name="concurrency"/> clients, each sending its next request as its last one is answered, for <paramref name="duration"/>.</summary>
    public HttpLoadRound Run(TimeSpan duration, int concurrency)
    {
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => ClientAsync(clock, duration))).ToArray();
        Task.WaitAll(clients);
        var latencies = clients.SelectMany(c => c.Result.Latencies).ToList();
        double perSecond = clients.Sum(c => c.Result.InTime) / duration.TotalSeconds;
        return new HttpLoadRound(Math.Round(perSecond), Stats.Median(latencies), Stats.Percentile(latencies, 99), Stats.Percentile(latencies, 100),
            latencies.Count, clients.Sum(c => c.Result.Failed));
    }

    /// <summary>One client's answers: every latency, how many answers came within the round (the rate), and failures.</summary>
    private async Task<(List<double> Latencies, long InTime, long Failed)> ClientAsync(Stopwatch clock, TimeSpan duration)
    {
        var latencies = new List<double>();
        long inTime = 0;
        long failed = 0;
        byte[] buffer = new byte[ResponseBufferBytes];
        while (clock.Elapsed < duration)
        {
            long start = Stopwatch.GetTimestamp();
            if (await GetAsync(buffer).ConfigureAwait(false))
            {
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                inTime += clock.Elapsed <= duration ? 1 : 0;
            }
            else
            {
                failed++;
            }
        }

        return (latencies, inTime, failed);
    }

    private async Task<bool> GetAsync(byte[] buffer)
    {
        using var socket = sockets.Take();

        // Closed with a reset once the server's close has arrived: no TIME_WAIT is left on either side. Otherwise the
        // container would hold ~60 s of them, the client's ports would wrap into them within seconds at these rates,
        // and SYNs answered from TIME_WAIT would add 1 s retransmissions that measure the generator, not the path.
        socket.LingerState = new LingerOption(true, 0);
        using var timeout = new CancellationTokenSource(RequestTimeout);
        try
        {
            var server = servers[(int)(Interlocked.Increment(ref _requests) % servers.Count)];
            await socket.ConnectAsync(server, timeout.Token).ConfigureAwait(false);
            await socket.SendAsync(Request, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            int length = 0;
            int n;
            while ((n = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token).ConfigureAwait(false)) > 0)
            {
                length += n;
                if (length == buffer.Length)
                {
                    return false;
                }
            }

            var response = buffer.AsSpan(0, length);
            int lineEnd = response.IndexOf((byte)'\n');
            return lineEnd > 0 && response[..lineEnd].IndexOf(StatusOk) > 0 && response.EndsWith(_body);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
