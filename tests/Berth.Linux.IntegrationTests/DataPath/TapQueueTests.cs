using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;

namespace Berth.Linux.IntegrationTests.DataPath;

/// <summary>The encrypted overlay's TAP end: real frames through a bridge, fail-closed teardown, prompt wake-ups, no allocation.</summary>
public sealed class TapQueueTests : LabTest
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LinkUp = TimeSpan.FromSeconds(10);
    private static readonly byte[] FakeAddress = [10, 91, 0, 9];
    private static readonly byte[] FakeMac = [0x02, 0x42, 0x0a, 0x5b, 0x00, 0x09];

    [RootFact]
    public void APingThroughTheBridgeIsAnsweredFromTheTapQueue()
    {
        using var sandbox = NetworkNamespace.Create(Manager, "sandbox");
        using var peer = NetworkNamespace.Create(Manager, "peer");
        sandbox.Links.Create(new BridgeSpec("br0") { Up = true });
        sandbox.Links.Create(new VethSpec("vp", "eth0") { PeerNamespace = peer.Handle, Master = "br0", Up = true });
        peer.Links.SetUp("eth0");
        peer.Rtnl.Addresses.Add("eth0", IPPrefix.Parse("10.91.0.2/24"));

        var tap = sandbox.OpenTapQueue("seal0", TapOffloads.All);
        try
        {
            Assert.Equal(sandbox.Links.Get("seal0").Index, tap.Index);
            Assert.Equal("tun", sandbox.Links.Get("seal0").Kind);
            sandbox.Links.SetMaster("seal0", "br0");
            sandbox.Links.SetUp("seal0");

            var host = new FakeHost(tap, FakeAddress, FakeMac);
            using var stop = new CancellationTokenSource();
            Task serving = Task.Factory.StartNew(() => host.Serve(stop.Token), TaskCreationOptions.LongRunning);

            Assert.True(InNetns.PingWithin(peer.Handle.Path, "10.91.0.9", LinkUp), "the peer got no echo reply from the host behind the tap queue");
            Assert.Contains("02:42:0a:5b:00:09", InNetns.Ip(peer.Handle.Path, "neigh", "show", "10.91.0.9"), StringComparison.Ordinal);

            // Cancellation from another thread ends the blocked read promptly.
            var clock = Stopwatch.StartNew();
            stop.Cancel();
            Assert.True(Poll.Until(() => serving.IsCompleted, LinkUp), "the read did not notice the cancellation");
            Assert.True(clock.Elapsed < Prompt, $"the read took {clock.Elapsed} to notice the cancellation");
            Assert.ThrowsAny<OperationCanceledException>(() => serving.GetAwaiter().GetResult());
            Assert.True(host.ArpRequests >= 1, "no ARP request was read from the tap");
            Assert.True(host.EchoRequests >= 1, "no echo request was read from the tap");
        }
        finally
        {
            tap.Dispose();
        }

        // Fail closed: the device goes with its descriptor, and with it the bridge's way out.
        Assert.Null(sandbox.Links.TryGet("seal0"));
        Assert.False(InNetns.Ping(peer.Handle.Path, "10.91.0.9"), "the fake host still answers after the tap queue was disposed");
        Manager.Delete("peer");
        Manager.Delete("sandbox");
    }

    [RootFact]
    public void TcpSuperFramesCrossAUserSpaceWireWhole()
    {
        // Two namespaces whose only link is a tap, and the test copying frames between the two queues:
        // the encrypted overlay's data path without the sealing.
        using var left = NetworkNamespace.Create(Manager, "left");
        using var right = NetworkNamespace.Create(Manager, "right");
        using var a = left.OpenTapQueue("seal0", TapOffloads.All);
        using var b = right.OpenTapQueue("seal0", TapOffloads.All);
        foreach (var (ns, cidr) in new[] { (left, "10.94.0.1/24"), (right, "10.94.0.2/24") })
        {
            ns.Links.SetUp("seal0");
            ns.Rtnl.Addresses.Add("seal0", IPPrefix.Parse(cidr));
        }

        using var stop = new CancellationTokenSource();
        var toRight = new Wire(a, b);
        var toLeft = new Wire(b, a);
        Task[] wires = [toRight.Start(stop.Token), toLeft.Start(stop.Token)];

        using Socket listener = right.Run(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse("10.94.0.2"), 0));
            socket.Listen();
            return socket;
        });
        using Socket client = left.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        client.Connect(listener.LocalEndPoint!);
        using Socket server = listener.Accept();

        byte[] payload = new byte[4 << 20];
        new Random(94).NextBytes(payload);
        Task sending = Task.Run(() =>
        {
            client.Send(payload);
            client.Shutdown(SocketShutdown.Send);
        });
        byte[] received = new byte[payload.Length];
        int total = 0;
        server.ReceiveTimeout = (int)LinkUp.TotalMilliseconds;
        for (int n; (n = server.Receive(received.AsSpan(total))) > 0;)
        {
            total += n;
        }

        Assert.True(sending.Wait(LinkUp), "the sender did not finish");
        Assert.Equal(payload.Length, total);
        Assert.True(payload.AsSpan().SequenceEqual(received), "the bytes arrived changed");

        stop.Cancel();
        Assert.True(Task.WaitAll(wires.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)).ToArray(), LinkUp), "the wire did not stop");
        Assert.All(wires, w => Assert.True(w.IsCanceled || w.IsCompletedSuccessfully, w.Exception?.ToString()));
        Assert.True(toRight.SuperFrames > 0, $"no TCP super-frame (gso_type != 0) was read: {toRight.Frames} frames, largest {toRight.Largest} bytes");
        Assert.True(toRight.Largest > 1500 + TapQueue.VnetHeaderBytes + 14, $"the largest frame was {toRight.Largest} bytes");
        Manager.Delete("left");
        Manager.Delete("right");
    }

    [RootFact]
    public void DisposeDeletesTheDeviceAndWakesABlockedReader()
    {
        using var ns = NetworkNamespace.Create(Manager, "dispose");
        // Left down, so the kernel sends nothing (IPv6 router solicitations) that the reader could take.
        var tap = ns.OpenTapQueue("seal0", TapOffloads.None);
        Assert.Equal(ErrorKind.Conflict, Assert.ThrowsAny<BerthException>(() => ns.OpenTapQueue("seal0", TapOffloads.None)).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.ThrowsAny<BerthException>(() => ns.OpenTapQueue("seal1", TapOffloads.Tso4)).Kind);

        var reading = Task.Factory.StartNew(() => tap.Read(new byte[TapQueue.MaxFrameBytes], CancellationToken.None), TaskCreationOptions.LongRunning);
        Assert.False(reading.Wait(TimeSpan.FromMilliseconds(200)), "the read returned with nothing to read");

        var clock = Stopwatch.StartNew();
        tap.Dispose();
        Assert.True(Poll.Until(() => reading.IsCompleted, LinkUp), "the read did not notice the dispose");
        Assert.True(clock.Elapsed < Prompt, $"the read took {clock.Elapsed} to notice the dispose");
        Assert.Throws<ObjectDisposedException>(() => reading.GetAwaiter().GetResult());
        Assert.True(Poll.Until(() => ns.Links.TryGet("seal0") is null, Prompt), "seal0 outlived its tap queue");
        Assert.Throws<ObjectDisposedException>(() => tap.Write(new byte[64]));
        Manager.Delete("dispose");
    }

    [RootFact]
    public void AMultiQueueTapSpreadsFlowsOverItsQueuesAndLivesUntilTheLastCloses()
    {
        // UDP from 64 source ports out of a two-queue tap: every flow's frames come out of one queue, and the flows
        // are spread over both, so a reader thread per queue shares the work.
        using var ns = NetworkNamespace.Create(Manager, "multi");
        ns.Sysctls.Write("net.ipv6.conf.all.disable_ipv6", "1");
        ns.Sysctls.Write("net.ipv6.conf.default.disable_ipv6", "1");
        var queues = ns.OpenTapQueues("seal0", TapOffloads.All, 2);
        try
        {
            Assert.Equal(ErrorKind.Conflict, Assert.ThrowsAny<BerthException>(() => ns.OpenTapQueues("seal0", TapOffloads.All, 2)).Kind);
            Assert.All(queues, q => Assert.Equal(ns.Links.Get("seal0").Index, q.Index));
            ns.Links.SetUp("seal0");
            ns.Rtnl.Addresses.Add("seal0", IPPrefix.Parse("10.95.0.1/24"));
            InNetns.Ip(ns.Handle.Path, "neigh", "replace", "10.95.0.2", "lladdr", "02:42:0a:5f:00:02", "dev", "seal0", "nud", "permanent");

            using var stop = new CancellationTokenSource();
            var ports = queues.Select(_ => new System.Collections.Concurrent.ConcurrentBag<int>()).ToArray();
            var readers = queues.Select((queue, i) => Task.Factory.StartNew(() =>
            {
                byte[] frame = new byte[TapQueue.MaxFrameBytes];
                while (true)
                {
                    int length = queue.Read(frame, stop.Token);
                    var ip = frame.AsSpan(TapQueue.VnetHeaderBytes + 14, length - TapQueue.VnetHeaderBytes - 14);
                    if (BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(TapQueue.VnetHeaderBytes + 12)) == 0x0800 && ip[9] == 17
                        && BinaryPrimitives.ReadUInt16BigEndian(ip[((ip[0] & 0xf) * 4 + 2)..]) == 9)
                    {
                        ports[i].Add(BinaryPrimitives.ReadUInt16BigEndian(ip[((ip[0] & 0xf) * 4)..]));
                    }
                }
            }, TaskCreationOptions.LongRunning)).ToArray();

            const int Flows = 64;
            const int PerFlow = 3;
            var sources = new HashSet<int>();
            ns.Run(() =>
            {
                for (int f = 0; f < Flows; f++)
                {
                    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    socket.Bind(new IPEndPoint(IPAddress.Parse("10.95.0.1"), 0));
                    sources.Add(((IPEndPoint)socket.LocalEndPoint!).Port);
                    for (int d = 0; d < PerFlow; d++)
                    {
                        socket.SendTo(new byte[32], new IPEndPoint(IPAddress.Parse("10.95.0.2"), 9));
                    }
                }

                return true;
            });

            Assert.True(Poll.Until(() => ports.Sum(p => p.Count) >= Flows * PerFlow, LinkUp), $"{ports.Sum(p => p.Count)} of {Flows * PerFlow} datagrams were read");
            stop.Cancel();
            Assert.True(Task.WaitAll(readers.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)).ToArray(), LinkUp), "the readers did not stop");
            Assert.Equal(Flows * PerFlow, ports.Sum(p => p.Count));
            Assert.Equal(sources.Order(), ports.SelectMany(p => p.Distinct()).Order());
            Assert.Empty(ports[0].Distinct().Intersect(ports[1].Distinct()));
            Assert.All(ports, p => Assert.NotEmpty(p));

            // The device lives while any queue does: the first closed leaves it, the last takes it.
            queues[0].Dispose();
            Assert.NotNull(ns.Links.TryGet("seal0"));
        }
        finally
        {
            foreach (var queue in queues)
            {
                queue.Dispose();
            }
        }

        Assert.True(Poll.Until(() => ns.Links.TryGet("seal0") is null, Prompt), "seal0 outlived its last queue");
        Manager.Delete("multi");
    }

    [RootFact]
    public void SteadyStateReadsAndWritesAllocateNothing()
    {
        // Two queues on one bridge: a broadcast frame written into one is flooded out of the other.
        using var ns = NetworkNamespace.Create(Manager, "alloc");
        ns.Sysctls.Write("net.ipv6.conf.all.disable_ipv6", "1");
        ns.Sysctls.Write("net.ipv6.conf.default.disable_ipv6", "1");
        ns.Links.Create(new BridgeSpec("br0") { Up = true });
        using var a = ns.OpenTapQueue("tapa", TapOffloads.All);
        using var b = ns.OpenTapQueue("tapb", TapOffloads.All);
        foreach (string name in new[] { "tapa", "tapb" })
        {
            ns.Links.SetMaster(name, "br0");
            ns.Links.SetUp(name);
        }

        byte[] frame = new byte[TapQueue.VnetHeaderBytes + 60];
        frame.AsSpan(TapQueue.VnetHeaderBytes, 6).Fill(0xff);
        byte[] source = [0x02, 0, 0, 0, 0, 0x0a];
        source.CopyTo(frame, TapQueue.VnetHeaderBytes + 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(TapQueue.VnetHeaderBytes + 12), 0x88b5); // IEEE local experimental
        byte[] received = new byte[TapQueue.MaxFrameBytes];
        using var timeout = new CancellationTokenSource(LinkUp);

        int Flood(int frames)
        {
            int matched = 0;
            for (int i = 0; i < frames; i++)
            {
                a.Write(frame);
                int length = b.Read(received, timeout.Token);
                if (length == frame.Length && received.AsSpan(0, length).SequenceEqual(frame))
                {
                    matched++;
                }
            }

            return matched;
        }

        Assert.True(Flood(100) > 0, "no flooded frame came out of the second tap");
        long before = GC.GetAllocatedBytesForCurrentThread();
        int matched = Flood(2000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(matched > 1900, $"only {matched} of 2000 frames came through");
        Assert.Equal(0, allocated);
        Assert.Equal(0, a.WriteDrops);
        Manager.Delete("alloc");
    }
}
