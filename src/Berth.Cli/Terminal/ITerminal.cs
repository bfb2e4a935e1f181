namespace Berth.Cli.Terminal;

/// <summary>What <c>-t</c> needs of the user's terminal; tests pass a fake, the real one is <see cref="PosixTerminal"/>.</summary>
public interface ITerminal
{
    bool IsInputTerminal { get; }

    bool IsOutputTerminal { get; }

    /// <summary>Rows and columns of the output terminal, or null when it is not one.</summary>
    (int Rows, int Columns)? Size { get; }

    /// <summary>Puts stdin in raw mode; disposing restores it (also on SIGTERM/SIGHUP while it is raw).</summary>
    IDisposable MakeInputRaw();

    /// <summary>Calls <paramref name="resized"/> on every SIGWINCH until disposed.</summary>
    IDisposable OnResize(Action resized);
}
