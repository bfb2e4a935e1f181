using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class LibNftables
{
    /// <summary>
    /// <c>int nft_run_cmd_from_buffer(struct nft_ctx *nft, const char *buf)</c>: parses and commits the whole
    /// buffer as one netlink transaction; 0 on success, non-zero with text in the error buffer otherwise.
    /// </summary>
    [LibraryImport(LibraryName, EntryPoint = "nft_run_cmd_from_buffer", SetLastError = true,
        StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int RunCmdFromBuffer(NftContextHandle ctx, string buffer);
}
