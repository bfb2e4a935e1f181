using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>
/// Keeps a SafeHandle's descriptor from being closed while its number is in flight (e.g. written
/// into a netlink attribute such as IFLA_NET_NS_FD).
/// </summary>
internal readonly ref struct HandleLease
{
    private readonly SafeHandle? _handle;
    private readonly bool _added;

    public HandleLease(SafeHandle? handle)
    {
        _handle = handle;
        _added = false;
        if (handle is null)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(handle.IsClosed, handle);
        handle.DangerousAddRef(ref _added);
    }

    public void Dispose()
    {
        if (_added)
        {
            _handle!.DangerousRelease();
        }
    }
}
