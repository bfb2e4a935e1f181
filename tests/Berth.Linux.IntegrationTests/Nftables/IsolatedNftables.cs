using System.Runtime.ExceptionServices;
using Berth.Linux.Interop;
using Berth.Linux.Nftables;

namespace Berth.Linux.IntegrationTests.Nftables;

/// <summary>
/// Creates an <see cref="NftablesContext"/> in a brand-new network namespace, so a test never sees or touches the
/// machine's ruleset. A dedicated thread unshares its netns, creates the context (whose netlink socket stays bound to
/// that netns) and ends; disposing the context drops the last reference and the netns goes away.
/// </summary>
internal static class IsolatedNftables
{
    public static NftablesContext Create()
    {
        NftablesContext? context = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (Libc.Unshare(Libc.CLONE_NEWNET) != 0)
                {
                    throw KernelException.FromLastError("unshare(CLONE_NEWNET) for an nftables test namespace");
                }

                context = new NftablesContext();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            Name = "nft-test-netns",
            IsBackground = true,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return context!;
    }
}
