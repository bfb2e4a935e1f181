using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class LibNftables
{
    /// <summary><c>void nft_ctx_output_set_flags(struct nft_ctx *ctx, unsigned int flags)</c>.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nft_ctx_output_set_flags", SetLastError = true)]
    internal static partial void CtxOutputSetFlags(NftContextHandle ctx, NftOutputFlags flags);
}
