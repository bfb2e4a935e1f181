using System.Globalization;

namespace Berth.Cli.Commands.Stack;

/// <summary>
/// Progress lines as docker's <c>jsonmessage.DisplayJSONMessagesStream</c> renders a stream of progress messages, each
/// with an id. Off a terminal: a line <c>id: action</c> per message without a bar, messages with a bar left out. On a
/// terminal: one line per id, rewritten in place (cursor up, clear, write, cursor down), with a bar of <c>=</c> when the
/// terminal is wider than 110 columns.
/// </summary>
internal sealed class ProgressLines(TextWriter output, bool terminal, int width)
{
    private const int BarWidth = 50;
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    /// <summary>A progress message: <paramref name="current"/> of <paramref name="total"/> draws a bar (counts hidden), 0 of 0 none.</summary>
    public Task WriteAsync(string id, string action, long current = 0, long total = 0)
    {
        bool hasProgress = current > 0 || total > 0;
        if (!terminal)
        {
            // Off a terminal docker's progress has a width of 200, so any progress has a bar, and a bar is not printed.
            return hasProgress ? Task.CompletedTask : output.WriteAsync($"{id}: {action}\n");
        }

        if (!_lines.TryGetValue(id, out int line))
        {
            line = _lines.Count;
            _lines[id] = line;
            output.Write('\n');
        }

        int up = _lines.Count - line;
        return output.WriteAsync(Up(up) + "\x1b[2K\r" + id + ": " + action + " " + Bar(current, total) + "\r" + Down(up));
    }

    /// <summary>A message without progress (<c>progress.Message</c>): its own line, and the lines above are no longer rewritten.</summary>
    public Task MessageAsync(string text)
    {
        _lines.Clear();
        return output.WriteAsync(text + "\n");
    }

    /// <summary>jsonmessage's bar: 50 cells for the whole, drawn only when the terminal is wider than 110 columns.</summary>
    private string Bar(long current, long total)
    {
        if (total <= 0 || width <= 110)
        {
            return "";
        }

        int filled = Math.Min(BarWidth, (int)(current * 100 / total) / 2);
        return "[" + new string('=', filled) + ">" + new string(' ', Math.Max(0, BarWidth - filled)) + "] ";
    }

    private static string Up(int lines) => lines == 0 ? "" : "\x1b[" + lines.ToString(CultureInfo.InvariantCulture) + "A";

    private static string Down(int lines) => lines == 0 ? "" : "\x1b[" + lines.ToString(CultureInfo.InvariantCulture) + "B";
}
