using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Interop;

/// <summary>
/// A <c>struct nft_ctx *</c>. The context owns a netlink socket bound to the network namespace of the
/// thread that created it, so releasing the handle may also let that namespace go away.
/// </summary>
internal sealed class NftContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public NftContextHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibNftables.CtxFree(handle);
        return true;
    }
}
