using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class LibNftables
{
    /// <summary><c>void nft_ctx_free(struct nft_ctx *ctx)</c>; only <see cref="NftContextHandle"/> calls it.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nft_ctx_free", SetLastError = true)]
    internal static partial void CtxFree(nint ctx);
}
