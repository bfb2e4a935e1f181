using System.Net;
using Berth.Network.Overlay.Sealed;

namespace Berth.Network.Tests.Overlay.Sealed;

/// <summary>Two nodes' VTEPs, a ring, and helpers to seal a frame into separate datagrams.</summary>
internal static class SealedLab
{
    public const uint Vni = 4097;
    public const int IPv4Datagram = 1472; // 1500 − IPv4 20 − UDP 8
    public const int IPv6Datagram = 1452; // 1500 − IPv6 40 − UDP 8

    public static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly byte[] VtepA = IPAddress.Parse("192.168.1.2").GetAddressBytes();
    public static readonly byte[] VtepB = IPAddress.Parse("192.168.1.3").GetAddressBytes();
    public static readonly byte[] VtepC = IPAddress.Parse("fd00::3").GetAddressBytes();

    public static byte[] Frame(int length, int seed = 1)
    {
        var frame = new byte[length];
        new Random(seed + length).NextBytes(frame);
        return frame;
    }

    /// <summary>The datagrams of one frame, each in its own array.</summary>
    public static List<byte[]> Seal(FrameSealer sealer, byte[] frame, int datagramSize = IPv4Datagram, uint vni = Vni)
    {
        var output = new byte[SealedHeader.MaxChunks * datagramSize];
        var lengths = new int[SealedHeader.MaxChunks];
        var count = sealer.Seal(frame, vni, datagramSize, output, lengths);
        return [.. Enumerable.Range(0, count).Select(i => output.AsSpan(i * datagramSize, lengths[i]).ToArray())];
    }

    public static FrameOpener Opener(OverlayKeyRing ring, byte[]? local = null, int maxFrame = FrameOpener.DefaultMaxFrame)
    {
        var opener = new FrameOpener(local ?? VtepB, maxFrame);
        opener.SetRing(ring);
        return opener;
    }

    public static OpenResult Open(FrameOpener opener, byte[] datagram, byte[]? sender = null) =>
        opener.Open(datagram, sender ?? VtepA, out _, out _);

    /// <summary>Opens each datagram in turn; the frames delivered, copied out.</summary>
    public static (List<OpenResult> Results, List<byte[]> Frames) OpenAll(FrameOpener opener, IEnumerable<byte[]> datagrams, byte[]? sender = null)
    {
        var results = new List<OpenResult>();
        var frames = new List<byte[]>();
        foreach (var datagram in datagrams)
        {
            var result = opener.Open(datagram, sender ?? VtepA, out var vni, out var frame);
            results.Add(result);
            if (result == OpenResult.Delivered)
            {
                Assert.Equal(Vni, vni);
                frames.Add(frame.ToArray());
            }
        }

        return (results, frames);
    }
}
