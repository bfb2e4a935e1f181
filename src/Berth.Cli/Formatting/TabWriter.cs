using System.Text;

namespace Berth.Cli.Formatting;

/// <summary>
/// Go's text/tabwriter with the settings docker's tables use (<c>NewWriter(out, 10, 1, 3, ' ', 0)</c>): a column is as wide
/// as its widest cell plus 3, at least 10; the last cell of a line is not a column and is never padded. A line without tabs
/// ends the column block, as in Go, so alignment restarts after it.
/// </summary>
public static class TabWriter
{
    public const int DockerMinWidth = 10;
    public const int DockerPadding = 3;

    public static string Format(string text, int minWidth = DockerMinWidth, int padding = DockerPadding)
    {
        var output = new StringBuilder(text.Length * 2);
        var block = new List<string[]>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var cells = lines[i].Split('\t');
            block.Add(cells);
            var last = i == lines.Length - 1;
            if (cells.Length == 1 || last)
            {
                FormatBlock(output, block, 0, block.Count, [], minWidth, padding);
                if (!last)
                {
                    output.Append('\n');
                }

                block.Clear();
            }
        }

        return output.ToString();
    }

    /// <summary>Go's <c>Writer.format</c>: recursive over column blocks, each line's last cell excluded.</summary>
    private static void FormatBlock(StringBuilder output, List<string[]> lines, int line0, int line1, List<int> widths, int minWidth, int padding)
    {
        var column = widths.Count;
        for (var current = line0; current < line1; current++)
        {
            if (column >= lines[current].Length - 1)
            {
                continue;
            }

            WriteLines(output, lines, line0, current, widths);
            line0 = current;
            var width = minWidth;
            for (; current < line1; current++)
            {
                var cells = lines[current];
                if (column >= cells.Length - 1)
                {
                    break;
                }

                width = Math.Max(width, CellWidth(cells[column]) + padding);
            }

            widths.Add(width);
            FormatBlock(output, lines, line0, current, widths, minWidth, padding);
            widths.RemoveAt(widths.Count - 1);
            line0 = current;
            current--;
        }

        WriteLines(output, lines, line0, line1, widths);
    }

    private static void WriteLines(StringBuilder output, List<string[]> lines, int line0, int line1, List<int> widths)
    {
        for (var i = line0; i < line1; i++)
        {
            var cells = lines[i];
            for (var j = 0; j < cells.Length; j++)
            {
                output.Append(cells[j]);
                if (j < widths.Count && j < cells.Length - 1)
                {
                    output.Append(' ', widths[j] - CellWidth(cells[j]));
                }
            }

            if (i < lines.Count - 1)
            {
                output.Append('\n');
            }
        }
    }

    /// <summary>Go counts runes (code points), not UTF-16 units.</summary>
    private static int CellWidth(string cell)
    {
        var count = 0;
        foreach (var _ in cell.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
