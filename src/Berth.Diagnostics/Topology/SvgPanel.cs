using System.Globalization;
using System.Text;

namespace Berth.Diagnostics.Topology;

/// <summary>
/// A box of the SVG: a heading, its chips in rows that wrap at the panel's width, and panels nested under it joined by
/// a line on the left (the tree of the text form). Sizes are computed from the text, in a monospace font whose
/// advance is <see cref="CharWidth"/>, so nothing overlaps however many containers there are.
/// </summary>
internal sealed class SvgPanel(string style, string heading, string? subheading = null)
{
    public const double FontSize = 12;

    /// <summary>The advance of a monospace glyph at <see cref="FontSize"/> (0.6 em in DejaVu Sans Mono, Liberation Mono).</summary>
    public const double CharWidth = 7.3;

    public const double LineHeight = 16;

    private const double Pad = 10;
    private const double Gap = 8;
    private const double Indent = 18;
    private const double MinChipWidth = 150;
    private const double MaxChipWidth = 330;

    public List<SvgChip> Chips { get; } = [];

    public List<SvgPanel> Children { get; } = [];

    /// <summary>Draws the panel at (<paramref name="x"/>, <paramref name="y"/>), <paramref name="width"/> wide; returns its height.</summary>
    public double Draw(StringBuilder output, double x, double y, double width)
    {
        var inner = new StringBuilder();
        double cy = y + Pad + LineHeight - 3;
        Text(inner, x + Pad, cy, heading, width - (2 * Pad), "h");
        if (subheading is { Length: > 0 })
        {
            cy += LineHeight;
            Text(inner, x + Pad, cy, subheading, width - (2 * Pad), "s");
        }

        cy += Pad;
        cy = DrawChips(inner, x + Pad, cy, width - (2 * Pad));
        foreach (var child in Children)
        {
            double childHeight = child.Draw(inner, x + Pad + Indent, cy, width - (2 * Pad) - Indent);
            // The tree's branch: down the left edge, across to the child's heading.
            inner.Append(CultureInfo.InvariantCulture, $"<path class=\"tree\" d=\"M{N(x + Pad + (Indent / 2))} {N(cy - Gap)}V{N(cy + LineHeight)}H{N(x + Pad + Indent)}\"/>\n");
            cy += childHeight + Gap;
        }

        double height = cy - y + (Children.Count > 0 ? Pad - Gap : 0);
        output.Append(CultureInfo.InvariantCulture, $"<g class=\"{style}\"><rect class=\"panel\" x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(width)}\" height=\"{N(height)}\" rx=\"6\"/>\n");
        output.Append(inner).Append("</g>\n");
        return height;
    }

    private double DrawChips(StringBuilder output, double x, double y, double width)
    {
        if (Chips.Count == 0)
        {
            return y;
        }

        int longest = Chips.SelectMany(c => c.Lines).Max(l => l.Length);
        double chipWidth = Math.Clamp((longest * CharWidth) + (2 * Pad), MinChipWidth, Math.Min(MaxChipWidth, width));
        int lines = Chips.Max(c => c.Lines.Length);
        double chipHeight = (lines * LineHeight) + Pad;
        int perRow = Math.Max(1, (int)((width + Gap) / (chipWidth + Gap)));
        for (int i = 0; i < Chips.Count; i++)
        {
            var chip = Chips[i];
            double cx = x + (i % perRow * (chipWidth + Gap));
            double top = y + (i / perRow * (chipHeight + Gap));
            output.Append(CultureInfo.InvariantCulture,
                $"<g class=\"chip {chip.Style}\"><title>{Markup.Escape(string.Join('\n', chip.Lines))}</title><rect x=\"{N(cx)}\" y=\"{N(top)}\" width=\"{N(chipWidth)}\" height=\"{N(chipHeight)}\" rx=\"4\"/>\n");
            for (int line = 0; line < chip.Lines.Length; line++)
            {
                Text(output, cx + (Pad / 2), top + ((line + 1) * LineHeight) - 2, chip.Lines[line], chipWidth - Pad, line == 0 ? "n" : "d");
            }

            output.Append("</g>\n");
        }

        int rows = (Chips.Count + perRow - 1) / perRow;
        return y + (rows * (chipHeight + Gap));
    }

    /// <summary>One line of text, cut with an ellipsis where it would leave <paramref name="room"/> (the chip's title keeps it whole).</summary>
    private static void Text(StringBuilder output, double x, double y, string text, double room, string style)
    {
        int fits = Math.Max(1, (int)(room / CharWidth));
        string shown = text.Length <= fits ? text : string.Concat(text.AsSpan(0, fits - 1), "…");
        output.Append(CultureInfo.InvariantCulture, $"<text class=\"{style}\" x=\"{N(x)}\" y=\"{N(y)}\">{Markup.Escape(shown)}</text>\n");
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
