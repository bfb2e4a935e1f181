using System.Text;
using Berth.Core.Errors;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Containers;

/// <summary>
/// A pseudo-terminal pair Berth owns: the master stays here (read the terminal's output, write its input,
/// set its size), the slave is opened by path in the child (<see cref="SlavePath"/>). Both ends are
/// close-on-exec on our side, so no other child inherits them.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    /// <summary>A size that every program copes with, until the client sends its own.</summary>
    public const ushort DefaultRows = 24;

    public const ushort DefaultColumns = 80;

    /// <summary>ptsname_r's buffer: "/dev/pts/N" fits many times over.</summary>
    private const int PathBufferBytes = 128;

    private PseudoTerminal(SafeFileHandle master, string slavePath)
    {
        Master = master;
        SlavePath = slavePath;
    }

    public SafeFileHandle Master { get; }

    public string SlavePath { get; }

    public static PseudoTerminal Open(ushort rows = DefaultRows, ushort columns = DefaultColumns)
    {
        int fd = Libc.PosixOpenpt(Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            throw Failure("posix_openpt", Libc.LastErrno());
        }

        var master = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (Libc.Grantpt(master) != 0)
            {
                throw Failure("grantpt", Libc.LastErrno());
            }

            if (Libc.Unlockpt(master) != 0)
            {
                throw Failure("unlockpt", Libc.LastErrno());
            }

            Span<byte> buffer = stackalloc byte[PathBufferBytes];
            int error = Libc.PtsnameR(master, buffer, (nuint)buffer.Length);
            if (error != 0)
            {
                throw Failure("ptsname_r", (Errno)error);
            }

            // Raw: our side of the pair only carries bytes (the container's own terminal does echo and line editing).
            Span<byte> termios = stackalloc byte[Libc.TermiosBytes];
            if (Libc.Tcgetattr(master, termios) != 0)
            {
                throw Failure("tcgetattr", Libc.LastErrno());
            }

            Libc.Cfmakeraw(termios);
            if (Libc.Tcsetattr(master, Libc.TCSANOW, termios) != 0)
            {
                throw Failure("tcsetattr", Libc.LastErrno());
            }

            var terminal = new PseudoTerminal(master, Encoding.ASCII.GetString(buffer[..buffer.IndexOf((byte)0)]));
            terminal.Resize(rows, columns);
            return terminal;
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>TIOCSWINSZ on the master: the size the slave side reads with TIOCGWINSZ.</summary>
    public void Resize(ushort rows, ushort columns)
    {
        var size = new WindowSize { Rows = rows, Columns = columns };
        if (Libc.Ioctl(Master, Libc.TIOCSWINSZ, ref size) != 0)
        {
            throw Failure("TIOCSWINSZ", Libc.LastErrno());
        }
    }

    public void Dispose() => Master.Dispose();

    private static BerthException Failure(string call, Errno errno) =>
        new(ErrorKind.Internal, $"cannot set up a terminal for exec: {call} failed ({errno}: {Libc.Describe(errno)})");
}
