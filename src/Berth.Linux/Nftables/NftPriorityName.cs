namespace Berth.Linux.Nftables;

/// <summary>nft's named base-chain priorities (nft(8), "CHAINS").</summary>
public enum NftPriorityName
{
    /// <summary><c>raw</c> (-300)</summary>
    Raw,

    /// <summary><c>mangle</c> (-150)</summary>
    Mangle,

    /// <summary><c>dstnat</c> (-100; -300 in bridge)</summary>
    Dstnat,

    /// <summary><c>filter</c> (0; -200 in bridge)</summary>
    Filter,

    /// <summary><c>security</c> (50)</summary>
    Security,

    /// <summary><c>srcnat</c> (100; 300 in bridge)</summary>
    Srcnat,
}
