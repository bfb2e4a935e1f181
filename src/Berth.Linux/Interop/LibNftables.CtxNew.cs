using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class LibNftables
{
    /// <summary><c>struct nft_ctx *nft_ctx_new(uint32_t flags)</c>; opens the context's netlink socket at once.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nft_ctx_new", SetLastError = true)]
    internal static partial NftContextHandle CtxNew(uint flags);
}
