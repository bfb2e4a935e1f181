using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Interop;

/// <summary>A plain file descriptor that is closed when the handle is released.</summary>
public class FileDescriptorHandle : SafeHandleMinusOneIsInvalid
{
    public FileDescriptorHandle()
        : base(ownsHandle: true)
    {
    }

    internal FileDescriptorHandle(int fd)
        : base(ownsHandle: true)
    {
        SetHandle(fd);
    }

    /// <summary>The descriptor number, for logging and for paths like <c>/proc/self/fd/N</c>.</summary>
    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
