using System.Diagnostics;
using System.Net;
using Berth.Core.Addressing;
using Berth.Linux.Addresses;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Sockets;
using Xunit.Abstractions;

namespace Berth.Linux.IntegrationTests.DataPath;

/// <summary>The encrypted overlay's underlay end: batches of datagrams between two namespaces joined by a veth.</summary>
public sealed class UdpTunnelSocketTests(ITestOutputHelper output) : LabTest
{
    private const int Stride = 1500;
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [RootTheory]
    [InlineData("10.92.0.1", "10.92.0.2", 24, false)]
    [InlineData("fd00:92::1", "fd00:92::2", 64, false)]
    [InlineData("10.92.0.1", "10.92.0.2", 24, true)]
    [InlineData("fd00:92::1", "fd00:92::2", 64, true)]
    public void SixtyFourDatagramsInOneSendArriveWithTheirSender(string left, string right, int prefix, bool segmentation)
    {
        var (one, two) = Underlay(left, right, prefix);
        using (one)
        using (two)
        using (UdpTunnelSocket sender = one.BindUdpTunnel(IPAddress.Parse(left), 0))
        using (UdpTunnelSocket receiver = two.BindUdpTunnel(IPAddress.Parse(right), 0))
        using (var batch = new UdpReceiveBatch(UdpTunnelSocket.MaxSendBatch, 2048))
        {
            sender.SegmentationOffload = segmentation;

            // Varied lengths for sendmmsg; for GSO, equal lengths but a shorter last one.
            int[] lengths = Enumerable.Range(0, UdpTunnelSocket.MaxSendBatch)
                .Select(i => segmentation ? (i == UdpTunnelSocket.MaxSendBatch - 1 ? 700 : 1400) : 1 + (i * 23)).ToArray();
            byte[] datagrams = Pattern(lengths);
            sender.Send(datagrams, Stride, lengths, IPAddress.Parse(right).GetAddressBytes(), (ushort)receiver.LocalEndPoint.Port);

            var seen = new bool[lengths.Length];
            using var timeout = new CancellationTokenSource(Deadline);
            int total = 0;
            while (total < lengths.Length)
            {
                int count = receiver.Receive(batch, timeout.Token);
                for (int i = 0; i < count; i++)
                {
                    ReadOnlySpan<byte> datagram = batch.Datagram(i);
                    int index = datagram[0];
                    Assert.False(batch.Truncated(i));
                    Assert.True(datagram.SequenceEqual(datagrams.AsSpan(index * Stride, lengths[index])), $"datagram {index} arrived changed");
                    Assert.True(batch.SenderAddress(i).SequenceEqual(IPAddress.Parse(left).GetAddressBytes()), "wrong sender address");
                    Assert.Equal(sender.LocalEndPoint.Port, batch.SenderPort(i));
                    Assert.False(seen[index], $"datagram {index} arrived twice");
                    seen[index] = true;
                }

                total += count;
            }

            Assert.Equal(0, sender.SendDrops);
            Assert.Equal(segmentation, sender.SegmentationOffload); // veth takes UDP GSO: it did not turn itself off
        }

        Manager.Delete("one");
        Manager.Delete("two");
    }

    [RootFact]
    public void ABlockedReceiveWakesOnCancelAndOnDispose()
    {
        using var ns = NetworkNamespace.Create(Manager, "wake");
        ns.Links.SetUp("lo");
        var socket = ns.BindUdpTunnel(IPAddress.Loopback, 0);
        using var batch = new UdpReceiveBatch(8, 2048);

        using var cancel = new CancellationTokenSource();
        var cancelled = Task.Factory.StartNew(() => socket.Receive(batch, cancel.Token), TaskCreationOptions.LongRunning);
        Assert.False(cancelled.Wait(TimeSpan.FromMilliseconds(200)), "the receive returned with nothing sent");
        var clock = Stopwatch.StartNew();
        cancel.Cancel();
        Assert.True(Poll.Until(() => cancelled.IsCompleted, Deadline), "the receive did not notice the cancellation");
        Assert.True(clock.Elapsed < Prompt, $"the receive took {clock.Elapsed} to notice the cancellation");
        Assert.ThrowsAny<OperationCanceledException>(() => cancelled.GetAwaiter().GetResult());

        // The same socket still works after a cancelled wait (the stale wake-up is harmless).
        var waiting = Task.Factory.StartNew(() => socket.Receive(batch, CancellationToken.None), TaskCreationOptions.LongRunning);
        Assert.False(waiting.Wait(TimeSpan.FromMilliseconds(200)), "the receive returned with nothing sent");
        clock.Restart();
        socket.Dispose();
        Assert.True(Poll.Until(() => waiting.IsCompleted, Deadline), "the receive did not notice the dispose");
        Assert.True(clock.Elapsed < Prompt, $"the receive took {clock.Elapsed} to notice the dispose");
        Assert.Throws<ObjectDisposedException>(() => waiting.GetAwaiter().GetResult());
        Manager.Delete("wake");
    }

    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void SteadyStateSendsAndReceivesAllocateNothing(bool segmentation)
    {
        var (one, two) = Underlay("10.93.0.1", "10.93.0.2", 24);
        using (one)
        using (two)
        using (UdpTunnelSocket sender = one.BindUdpTunnel(IPAddress.Parse("10.93.0.1"), 0))
        using (UdpTunnelSocket receiver = two.BindUdpTunnel(IPAddress.Parse("10.93.0.2"), 0))
        using (var batch = new UdpReceiveBatch(UdpTunnelSocket.MaxSendBatch, 2048))
        {
            sender.SegmentationOffload = segmentation;
            int[] lengths = Enumerable.Repeat(1400, UdpTunnelSocket.MaxSendBatch).ToArray();
            byte[] datagrams = Pattern(lengths);
            byte[] destination = [10, 93, 0, 2];
            ushort port = (ushort)receiver.LocalEndPoint.Port;
            using var timeout = new CancellationTokenSource(Deadline * 3);

            // Lock-step batches, so the receiver's buffer never overflows and every send is matched.
            long RoundTrips(int batches)
            {
                long bytes = 0;
                for (int b = 0; b < batches; b++)
                {
                    sender.Send(datagrams, Stride, lengths, destination, port);
                    for (int got = 0; got < lengths.Length;)
                    {
                        int count = receiver.Receive(batch, timeout.Token);
                        for (int i = 0; i < count; i++)
                        {
                            bytes += batch.Datagram(i).Length;
                        }

                        got += count;
                    }
                }

                return bytes;
            }

            RoundTrips(50);
            const int Batches = 2000;
            long started = Stopwatch.GetTimestamp();
            long before = GC.GetAllocatedBytesForCurrentThread();
            long bytes = RoundTrips(Batches);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            output.WriteLine($"gso={segmentation}: {Batches * lengths.Length} datagrams, {bytes * 8 / elapsed.TotalSeconds / 1e9:F2} Gbit/s of payload, {Batches * lengths.Length / elapsed.TotalSeconds / 1e3:F0} k datagrams/s (send and receive on one thread)");
            Assert.Equal((long)Batches * lengths.Length * 1400, bytes);
            Assert.Equal(0, allocated);
            Assert.Equal(0, sender.SendDrops);
        }

        Manager.Delete("one");
        Manager.Delete("two");
    }

    [RootFact]
    public void ACoalescingReceiverGetsASendersGsoBatchesWholeAndTheyCutBackIntoTheSameDatagrams()
    {
        var (one, two) = Underlay("10.97.0.1", "10.97.0.2", 24);
        using (one)
        using (two)
        using (UdpTunnelSocket sender = one.BindUdpTunnel(IPAddress.Parse("10.97.0.1"), 0))
        using (UdpTunnelSocket receiver = two.BindUdpTunnel(IPAddress.Parse("10.97.0.2"), 0))
        using (var batch = new UdpReceiveBatch(16, UdpReceiveBatch.CoalescedBufferSize))
        {
            Assert.True(receiver.TryCoalesceReceives(), "this kernel refused UDP_GRO");
            sender.SegmentationOffload = true;
            int[] lengths = Enumerable.Range(0, UdpTunnelSocket.MaxSendBatch).Select(i => i == UdpTunnelSocket.MaxSendBatch - 1 ? 700 : 1400).ToArray();
            byte[] datagrams = Pattern(lengths);
            sender.Send(datagrams, Stride, lengths, IPAddress.Parse("10.97.0.2").GetAddressBytes(), (ushort)receiver.LocalEndPoint.Port);

            using var timeout = new CancellationTokenSource(Deadline);
            var received = new List<byte[]>();
            int largestEntry = 0;
            while (received.Count < lengths.Length)
            {
                int count = receiver.Receive(batch, timeout.Token);
                for (int i = 0; i < count; i++)
                {
                    var entry = batch.Datagram(i);
                    int size = batch.SegmentSize(i);
                    Assert.False(batch.Truncated(i));
                    largestEntry = Math.Max(largestEntry, entry.Length);
                    for (int offset = 0; offset < entry.Length; offset += size == 0 ? entry.Length : size)
                    {
                        received.Add(entry.Slice(offset, Math.Min(size == 0 ? entry.Length : size, entry.Length - offset)).ToArray());
                    }
                }
            }

            Assert.True(largestEntry > 1400, $"no entry held more than one datagram (largest {largestEntry} bytes): nothing was coalesced");
            Assert.Equal(lengths.Length, received.Count);
            for (int i = 0; i < lengths.Length; i++)
            {
                Assert.True(received[i].AsSpan().SequenceEqual(datagrams.AsSpan(i * Stride, lengths[i])), $"datagram {i} came back changed or out of order");
            }
        }

        Manager.Delete("one");
        Manager.Delete("two");
    }

    [RootFact]
    public void ASteeredGroupHandsEachDatagramToTheSocketItsWordNames()
    {
        // Three sockets on one port; datagrams carry a 32-bit word at offset 4, and word w must reach socket w mod 3
        // whichever of eight source ports sent it (the default SO_REUSEPORT hash would spread by source port).
        const int Sockets = 3;
        var (one, two) = Underlay("10.96.0.1", "10.96.0.2", 24);
        var group = two.BindSteeredUdpTunnels(IPAddress.Parse("10.96.0.2"), 0, Sockets, wordOffset: 4);
        var senders = Enumerable.Range(0, 8).Select(_ => one.BindUdpTunnel(IPAddress.Parse("10.96.0.1"), 0)).ToArray();
        try
        {
            ushort port = (ushort)group[0].LocalEndPoint.Port;
            Assert.All(group, socket => Assert.Equal(port, socket.LocalEndPoint.Port));
            byte[] destination = [10, 96, 0, 2];
            byte[] datagram = new byte[64];
            var sent = new List<(int Sender, uint Word)>();
            for (int s = 0; s < senders.Length; s++)
            {
                for (uint w = 0; w < 12; w++)
                {
                    uint word = (w * 0x9E3779B1u) + (uint)s;
                    datagram[0] = (byte)s;
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), word);
                    senders[s].Send(datagram, datagram.Length, [datagram.Length], destination, port);
                    sent.Add((s, word));
                }
            }

            // A datagram too short to hold the word goes to socket 0.
            senders[0].Send(datagram, 3, [3], destination, port);

            using var timeout = new CancellationTokenSource(Deadline);
            var received = new List<(int Socket, uint Word)>();
            int shortOnes = 0;
            for (int i = 0; i < Sockets; i++)
            {
                using var batch = new UdpReceiveBatch(64, 128);
                while (true)
                {
                    using var quiet = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                    quiet.CancelAfter(TimeSpan.FromMilliseconds(300));
                    int count;
                    try
                    {
                        count = group[i].Receive(batch, quiet.Token);
                    }
                    catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
                    {
                        break;
                    }

                    for (int d = 0; d < count; d++)
                    {
                        var bytes = batch.Datagram(d);
                        if (bytes.Length == 3)
                        {
                            Assert.Equal(0, i);
                            shortOnes++;
                            continue;
                        }

                        received.Add((i, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes[4..])));
                    }
                }
            }

            Assert.Equal(sent.Count, received.Count);
            Assert.Equal(1, shortOnes);
            Assert.All(received, r => Assert.Equal((int)(r.Word % Sockets), r.Socket));
            Assert.Equal(sent.Select(s => s.Word).Order(), received.Select(r => r.Word).Order());
            Assert.All(Enumerable.Range(0, Sockets), i => Assert.Contains(received, r => r.Socket == i));
        }
        finally
        {
            foreach (var socket in group.Concat(senders))
            {
                socket.Dispose();
            }

            one.Dispose();
            two.Dispose();
        }

        Manager.Delete("one");
        Manager.Delete("two");
    }

    /// <summary>Datagram i starts with i and is otherwise its own pattern, so a mix-up shows.</summary>
    private static byte[] Pattern(int[] lengths)
    {
        byte[] datagrams = new byte[lengths.Length * Stride];
        for (int i = 0; i < lengths.Length; i++)
        {
            for (int j = 0; j < lengths[i]; j++)
            {
                datagrams[(i * Stride) + j] = j == 0 ? (byte)i : (byte)((i * 7) + j);
            }
        }

        return datagrams;
    }

    /// <summary>Namespaces "one" and "two" joined by a veth, addressed left and right.</summary>
    private (NetworkNamespace One, NetworkNamespace Two) Underlay(string left, string right, int prefix)
    {
        var one = NetworkNamespace.Create(Manager, "one");
        var two = NetworkNamespace.Create(Manager, "two");
        one.Links.Create(new VethSpec("u1", "u2") { PeerNamespace = two.Handle, Up = true });
        two.Links.SetUp("u2");
        one.Rtnl.Addresses.Add("u1", IPPrefix.Parse($"{left}/{prefix}"), AddressFlags.NoDad);
        two.Rtnl.Addresses.Add("u2", IPPrefix.Parse($"{right}/{prefix}"), AddressFlags.NoDad);
        return (one, two);
    }
}
