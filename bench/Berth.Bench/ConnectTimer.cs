using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Berth.Bench;

/// <summary>TCP handshakes, timed: connect from a socket of a namespace, then reset (no TIME_WAIT left on either side).</summary>
internal static class ConnectTimer
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>One connect from <paramref name="sockets"/> to <paramref name="to"/>: from the SYN sent to the SYN-ACK taken, in ms; NaN when it failed.</summary>
    public static double Once(NetnsSockets sockets, IPEndPoint to)
    {
        using var socket = sockets.Take();
        socket.LingerState = new LingerOption(true, 0);
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        long start = Stopwatch.GetTimestamp();
        try
        {
            socket.ConnectAsync(to, timeout.Token).AsTask().GetAwaiter().GetResult();
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return double.NaN;
        }
    }

    /// <summary>
    /// <paramref name="samples"/> connects to each of <paramref name="targets"/>, taken in turns (so a drift in the machine's
    /// load touches each alike); for each target its times and how many failed.
    /// </summary>
    public static List<ConnectTimes> Alternating(NetnsSockets sockets, IReadOnlyList<IPEndPoint> targets, int samples)
    {
        var ms = targets.Select(_ => new List<double>(samples)).ToArray();
        int[] failed = new int[targets.Count];
        for (int i = 0; i < samples; i++)
        {
            for (int t = 0; t < targets.Count; t++)
            {
                double time = Once(sockets, targets[t]);
                if (double.IsNaN(time))
                {
                    failed[t]++;
                }
                else
                {
                    ms[t].Add(time);
                }
            }
        }

        return [.. Enumerable.Range(0, targets.Count).Select(t => new ConnectTimes(ms[t], failed[t]))];
    }
}
