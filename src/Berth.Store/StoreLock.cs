using System.Globalization;
using System.Text;
using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Store;

/// <summary>
/// Makes sure one berthd at a time uses a root directory: an exclusive, non-blocking flock(2) on
/// <c>&lt;root&gt;/berthd.lock</c>, held until disposed or until the process dies (the kernel drops
/// it, so a crash never leaves a stale lock). The file holds the holder's pid, for the message only:
/// the lock, not the file's presence or content, decides.
/// </summary>
public sealed class StoreLock : IDisposable
{
    public const string LockFileName = "berthd.lock";

    // rw-r--r--
    private const uint LockFileMode = 0x1A4;

    // Room for a decimal pid (pid_max is at most 2^22 on Linux) and a newline.
    private const int PidBufferBytes = 32;

    private readonly LockFileHandle _handle;

    private StoreLock(LockFileHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>
    /// Takes the lock on <paramref name="rootDirectory"/> (created if missing), or throws
    /// <see cref="ErrorKind.Conflict"/> naming the pid that holds it.
    /// </summary>
    public static StoreLock Acquire(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        Directory.CreateDirectory(rootDirectory);
        var path = System.IO.Path.Combine(rootDirectory, LockFileName);

        var handle = Libc.OpenLockFile(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, LockFileMode);
        if (handle.IsInvalid)
        {
            var errno = Libc.LastErrno();
            handle.Dispose();
            throw new BerthException(
                errno is Errno.EACCES or Errno.EPERM or Errno.EROFS ? ErrorKind.Forbidden : ErrorKind.Unavailable,
                $"cannot open lock file {path}: {Libc.Describe(errno)}; check that --root {rootDirectory} is writable by berthd");
        }

        try
        {
            while (Libc.Flock(handle, Libc.LOCK_EX | Libc.LOCK_NB) != 0)
            {
                var errno = Libc.LastErrno();
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                if (errno == Errno.EAGAIN)
                {
                    var holder = ReadPid(handle);
                    throw new BerthException(
                        ErrorKind.Conflict,
                        $"another berthd is already running with --root {rootDirectory} (pid {holder?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}); stop it first or choose another --root");
                }

                throw new BerthException(ErrorKind.Unavailable, $"cannot lock {path}: {Libc.Describe(errno)}; put --root on a local file system that supports flock");
            }

            WritePid(handle, path, Environment.ProcessId);
            var acquired = new StoreLock(handle, path);
            handle = null;
            return acquired;
        }
        finally
        {
            handle?.Dispose();
        }
    }

    /// <summary>
    /// The pid written by the holder of <paramref name="rootDirectory"/>'s lock, or null if none is
    /// recorded. Read with plain open/pread: .NET's FileStream takes its own flock on Unix and would
    /// fail on a locked file.
    /// </summary>
    internal static int? ReadHolder(string rootDirectory)
    {
        using var handle = Libc.OpenLockFile(System.IO.Path.Combine(rootDirectory, LockFileName), Libc.O_RDWR | Libc.O_CLOEXEC, 0);
        return handle.IsInvalid ? null : ReadPid(handle);
    }

    /// <summary>Releases the lock (and clears the pid, so the file never names a process that let go).</summary>
    public void Dispose()
    {
        if (_handle.IsClosed)
        {
            return;
        }

        // Best effort: the pid is informational, and closing releases the lock regardless.
        _ = Libc.Ftruncate(_handle, 0);
        _handle.Dispose();
    }

    private static unsafe int? ReadPid(LockFileHandle handle)
    {
        var buffer = stackalloc byte[PidBufferBytes];
        var read = Libc.Pread(handle, buffer, PidBufferBytes, 0);

        // The holder may be between truncating and writing its pid: then the pid is unknown.
        if (read <= 0)
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(buffer, (int)read).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private static unsafe void WritePid(LockFileHandle handle, string path, int pid)
    {
        var bytes = Encoding.ASCII.GetBytes(pid.ToString(CultureInfo.InvariantCulture) + "\n");
        if (Libc.Ftruncate(handle, 0) != 0)
        {
            throw new BerthException(ErrorKind.Unavailable, $"cannot write pid to {path}: {Libc.Describe(Libc.LastErrno())}");
        }

        fixed (byte* data = bytes)
        {
            if (Libc.Pwrite(handle, data, (nuint)bytes.Length, 0) != bytes.Length)
            {
                throw new BerthException(ErrorKind.Unavailable, $"cannot write pid to {path}: {Libc.Describe(Libc.LastErrno())}");
            }
        }
    }
}
