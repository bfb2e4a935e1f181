using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class LibNftables
{
    /// <summary><c>unsigned int nft_ctx_output_get_flags(struct nft_ctx *ctx)</c>.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nft_ctx_output_get_flags", SetLastError = true)]
    internal static partial NftOutputFlags CtxOutputGetFlags(NftContextHandle ctx);
}
