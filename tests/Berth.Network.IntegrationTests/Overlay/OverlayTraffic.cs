using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;

namespace Berth.Network.IntegrationTests.Overlay;

/// <summary>Real traffic between lab namespaces: a TCP transfer checked byte for byte, IP fragmentation counters.</summary>
internal static class OverlayTraffic
{
    private const int Port = 5001;

    /// <summary>Sends <paramref name="bytes"/> random bytes over TCP from <paramref name="from"/> to <paramref name="address"/> in <paramref name="to"/>; true when all arrived intact.</summary>
    public static bool Transfer(NetworkNamespace from, NetworkNamespace to, IPAddress address, int bytes, TimeSpan timeout)
    {
        byte[] data = RandomNumberGenerator.GetBytes(bytes);
        var target = new IPEndPoint(address, Port);
        using var listener = TcpProbe.Listen(to, target);
        int milliseconds = (int)timeout.TotalMilliseconds;
        var received = Task.Run(() =>
        {
            using var connection = listener.Accept();
            connection.ReceiveTimeout = milliseconds;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = connection.Receive(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                total += n;
            }

            return (total, hash.GetHashAndReset());
        });

        using (var client = from.Run(() => new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp)))
        {
            client.SendTimeout = milliseconds;
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                client.ConnectAsync(target, cancel.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                listener.Close();
                return false;
            }

            client.Send(data);
            client.Shutdown(SocketShutdown.Send);
            if (!received.Wait(timeout))
            {
                return false;
            }
        }

        var (count, digest) = received.Result;
        return count == bytes && digest.AsSpan().SequenceEqual(SHA256.HashData(data));
    }

    /// <summary>IPv4 fragments this namespace has made (FragCreates in /proc/net/snmp, read inside it).</summary>
    public static long FragmentsCreated(string netnsPath)
    {
        string[] ip = InNetns.Run(netnsPath, "cat", "/proc/net/snmp").Output.Split('\n').Where(l => l.StartsWith("Ip: ", StringComparison.Ordinal)).ToArray();
        string[] names = ip[0].Split(' ');
        string[] values = ip[1].Split(' ');
        return long.Parse(values[Array.IndexOf(names, "FragCreates")], CultureInfo.InvariantCulture);
    }
}
