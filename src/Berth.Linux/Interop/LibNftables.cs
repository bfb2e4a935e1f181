namespace Berth.Linux.Interop;

/// <summary>
/// libnftables entry points (nftables 1.0.6, <c>nftables/libnftables.h</c>), one per file. None of them
/// reports through errno: failures come back as a return value plus text in the error buffer.
/// </summary>
internal static partial class LibNftables
{
    internal const string LibraryName = "libnftables.so.1";

    /// <summary><c>NFT_CTX_DEFAULT</c>, the only flag value <c>nft_ctx_new</c> takes.</summary>
    internal const uint ContextDefault = 0;
}
