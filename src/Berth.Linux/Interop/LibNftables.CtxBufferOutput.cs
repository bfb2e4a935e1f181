using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class LibNftables
{
    /// <summary><c>int nft_ctx_buffer_output(struct nft_ctx *ctx)</c>: collect standard output in memory; 0 on success.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nft_ctx_buffer_output", SetLastError = true)]
    internal static partial int CtxBufferOutput(NftContextHandle ctx);
}
