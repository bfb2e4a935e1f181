namespace Berth.Linux.Links;

/// <summary>
/// What a <see cref="TapQueue"/>'s reader can take unfinished (TUNSETOFFLOAD, TUN_F_* in linux/if_tun.h):
/// frames with a partial checksum, TCP super-frames the reader segments (or passes on whole with their
/// <c>virtio_net_hdr</c>). The kernel ignores the TSO flags without <see cref="Checksum"/>.
/// </summary>
[Flags]
public enum TapOffloads
{
    None = 0,

    /// <summary>TUN_F_CSUM: checksums may be left partial (VIRTIO_NET_HDR_F_NEEDS_CSUM).</summary>
    Checksum = 0x01,

    /// <summary>TUN_F_TSO4: TCP over IPv4 super-frames.</summary>
    Tso4 = 0x02,

    /// <summary>TUN_F_TSO6: TCP over IPv6 super-frames.</summary>
    Tso6 = 0x04,

    /// <summary>TUN_F_TSO_ECN: super-frames with the ECN CWR bit set.</summary>
    TsoEcn = 0x08,

    All = Checksum | Tso4 | Tso6 | TsoEcn,
}
