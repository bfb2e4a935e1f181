using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Cli.Terminal;

/// <summary>The process's own stdin/stdout through termios and TIOCGWINSZ.</summary>
public sealed class PosixTerminal : ITerminal
{
    public bool IsInputTerminal => Libc.Isatty(Libc.StdinFileno) == 1;

    public bool IsOutputTerminal => Libc.Isatty(Libc.StdoutFileno) == 1;

    public (int Rows, int Columns)? Size =>
        Libc.IoctlWindowSize(Libc.StdoutFileno, Libc.TIOCGWINSZ, out var size) == 0 && size.Rows > 0 ? (size.Rows, size.Columns) : null;

    public IDisposable MakeInputRaw()
    {
        if (Libc.Tcgetattr(Libc.StdinFileno, out var saved) != 0)
        {
            return NoOp.Instance;
        }

        var raw = saved;
        Libc.Cfmakeraw(ref raw);
        _ = Libc.Tcsetattr(Libc.StdinFileno, Libc.TCSANOW, in raw);
        return new RawMode(saved);
    }

    public IDisposable OnResize(Action resized) => PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => resized());

    /// <summary>Restores the saved settings once: on dispose, or when a signal would end the process while raw.</summary>
    private sealed class RawMode : IDisposable
    {
        private readonly TermiosBuffer saved;
        private readonly PosixSignalRegistration[] signals;
        private int restored;

        public RawMode(TermiosBuffer saved)
        {
            this.saved = saved;
            signals = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Restore()), PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => Restore())];
        }

        public void Dispose()
        {
            Restore();
            foreach (var signal in signals)
            {
                signal.Dispose();
            }
        }

        private void Restore()
        {
            if (Interlocked.Exchange(ref restored, 1) == 0)
            {
                _ = Libc.Tcsetattr(Libc.StdinFileno, Libc.TCSANOW, in saved);
            }
        }
    }

    private sealed class NoOp : IDisposable
    {
        public static readonly NoOp Instance = new();

        public void Dispose()
        {
        }
    }
}
