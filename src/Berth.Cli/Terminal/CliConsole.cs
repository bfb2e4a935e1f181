namespace Berth.Cli.Terminal;

/// <summary>
/// The CLI's standard streams twice over: as text (<see cref="Out"/>, <see cref="Err"/>, <see cref="In"/>) for what berth prints
/// itself, and as bytes for what a container sends and reads (attach, exec, logs), which need not be text.
/// Flush <see cref="Out"/> before writing to <see cref="OutBytes"/>.
/// </summary>
public sealed record CliConsole(TextWriter Out, TextWriter Err, TextReader In, Stream OutBytes, Stream ErrBytes, Stream InBytes, ITerminal Terminal)
{
    /// <summary>Text-only streams (the in-process entry tests use): bytes are decoded into the writers, stdin encoded from the reader.</summary>
    public static CliConsole FromText(TextWriter output, TextWriter error, TextReader input, ITerminal? terminal = null) =>
        new(output, error, input, new TextWriterStream(output), new TextWriterStream(error), new TextReaderStream(input), terminal ?? NoTerminal.Instance);
}
