namespace Berth.Store.Interop;

/// <summary>Linux errno values (asm-generic/errno-base.h) that the store's lock meets.</summary>
internal enum Errno
{
    None = 0,
    EPERM = 1,
    ENOENT = 2,
    EINTR = 4,
    EIO = 5,
    EBADF = 9,

    /// <summary>Also EWOULDBLOCK: flock(LOCK_NB) on a file another open file description has locked.</summary>
    EAGAIN = 11,
    EACCES = 13,
    EISDIR = 21,
    EINVAL = 22,
    ENOSPC = 28,
    EROFS = 30,
    ENOLCK = 37,
}
