using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Interop;

/// <summary>
/// The descriptor of a lock file. Closing it releases the flock (the lock belongs to the open file
/// description, which only this descriptor refers to: it is opened O_CLOEXEC and never duplicated).
/// </summary>
internal sealed class LockFileHandle : SafeHandleMinusOneIsInvalid
{
    public LockFileHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
