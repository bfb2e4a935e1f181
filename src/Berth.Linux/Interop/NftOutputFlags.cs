namespace Berth.Linux.Interop;

/// <summary>Output flags of a libnftables context (<c>enum nft_output_flags</c> in nftables 1.0.6 libnftables.h).</summary>
[Flags]
internal enum NftOutputFlags : uint
{
    None = 0,

    /// <summary><c>NFT_CTX_OUTPUT_HANDLE</c>: print object handles.</summary>
    Handle = 1u << 3,

    /// <summary><c>NFT_CTX_OUTPUT_JSON</c>: print JSON (and, in 1.0.6, also parse input as JSON).</summary>
    Json = 1u << 4,

    /// <summary><c>NFT_CTX_OUTPUT_ECHO</c>: echo what a command added, with handles.</summary>
    Echo = 1u << 5,
}
