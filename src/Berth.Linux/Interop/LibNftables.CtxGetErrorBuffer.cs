using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class LibNftables
{
    /// <summary>
    /// <c>const char *nft_ctx_get_error_buffer(struct nft_ctx *ctx)</c>: the error text collected since the last
    /// call, which it resets. The context owns the memory; copy it before the next call on the context.
    /// </summary>
    [LibraryImport(LibraryName, EntryPoint = "nft_ctx_get_error_buffer", SetLastError = true)]
    internal static partial nint CtxGetErrorBuffer(NftContextHandle ctx);
}
