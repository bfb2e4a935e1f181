using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Logging;

/// <summary>A file's inode: tells a log file from the one that replaced it under the same name.</summary>
public static class FileInode
{
    public static unsafe ulong? Of(string path)
    {
        byte* stat = stackalloc byte[Libc.StatBufferSize];
        return Libc.Stat(path, stat) == 0 ? *(ulong*)(stat + Libc.StatInodeOffset) : null;
    }

    public static unsafe ulong? Of(SafeFileHandle file)
    {
        byte* stat = stackalloc byte[Libc.StatBufferSize];
        return Libc.Fstat(file, stat) == 0 ? *(ulong*)(stat + Libc.StatInodeOffset) : null;
    }
}
