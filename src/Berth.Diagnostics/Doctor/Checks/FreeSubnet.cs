using System.Net;
using Berth.Network.Ipam;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>A private IPv4 subnet of a given size that overlaps nothing given: what a fix proposes instead of a colliding one.</summary>
public static class FreeSubnet
{
    /// <summary>RFC 1918's private blocks, in the order Docker's default pools use them.</summary>
    private static readonly IPNetwork[] PrivateBlocks = [IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("10.0.0.0/8")];

    /// <summary>Candidates looked at per block: a hint, not an allocator.</summary>
    private const int MaxCandidatesPerBlock = 65536;

    /// <summary>The first IPv4 subnet of <paramref name="prefixLength"/> in a private block overlapping none of <paramref name="avoid"/>; null when none is found.</summary>
    public static IPNetwork? Find(int prefixLength, IReadOnlyCollection<IPNetwork> avoid)
    {
        ArgumentNullException.ThrowIfNull(avoid);
        foreach (var block in PrivateBlocks.Where(b => b.PrefixLength <= prefixLength))
        {
            var size = UInt128.One << (32 - prefixLength);
            var start = IPNetworkMath.ToNumber(block.BaseAddress);
            var count = UInt128.Min(IPNetworkMath.AddressCount(block) / size, MaxCandidatesPerBlock);
            for (UInt128 i = 0; i < count; i++)
            {
                var candidate = new IPNetwork(IPNetworkMath.FromNumber(start + (i * size), System.Net.Sockets.AddressFamily.InterNetwork), prefixLength);
                if (!avoid.Any(a => IPNetworkMath.Overlaps(a, candidate)))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
