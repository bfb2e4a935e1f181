using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class LibNftables
{
    /// <summary><c>int nft_ctx_buffer_error(struct nft_ctx *ctx)</c>: collect error output in memory; 0 on success.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nft_ctx_buffer_error", SetLastError = true)]
    internal static partial int CtxBufferError(NftContextHandle ctx);
}
