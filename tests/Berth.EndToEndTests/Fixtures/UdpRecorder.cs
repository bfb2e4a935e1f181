using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Linux.Namespaces;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>A UDP port inside a network namespace (a container's) that keeps every datagram it gets, as text (busybox has no UDP nc).</summary>
public sealed class UdpRecorder : IDisposable
{
    private readonly Socket _socket;
    private readonly ConcurrentQueue<string> _received = new();
    private readonly Thread _reader;
    private volatile bool _stopped;

    public UdpRecorder(string netnsPath, int port)
    {
        using var netns = NetnsHandle.Open(netnsPath);
        _socket = NamespaceRunner.Shared.Run(netns, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            return socket;
        });
        _socket.ReceiveTimeout = 200;
        _reader = new Thread(Read) { IsBackground = true, Name = "udp recorder" };
        _reader.Start();
    }

    /// <summary>What arrived so far, a datagram each.</summary>
    public IReadOnlyList<string> Received => [.. _received];

    public void Dispose()
    {
        _stopped = true;
        _reader.Join();
        _socket.Dispose();
    }

    private void Read()
    {
        var buffer = new byte[65536];
        while (!_stopped)
        {
            try
            {
                int n = _socket.Receive(buffer);
                _received.Enqueue(Encoding.ASCII.GetString(buffer, 0, n));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                // look at _stopped again
            }
        }
    }
}
