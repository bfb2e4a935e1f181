using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>
/// docker's list formats (<c>ls</c>, <c>ps</c>): "table TEMPLATE" prints a header row and aligns columns, "json" is <c>{{json .}}</c>,
/// and <c>\t</c>/<c>\n</c> in the text are tabs and newlines.
/// </summary>
public static class ListFormat
{
    public const string TableKey = "table";
    public const string JsonFormat = "{{json .}}";

    public static GoTemplate Parse(string format, out bool isTable)
    {
        isTable = format.StartsWith(TableKey, StringComparison.Ordinal);
        var text = isTable ? format[TableKey.Length..] : format == "json" ? JsonFormat : format;
        text = text.Trim(' ').Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);
        return GoTemplate.Parse(text);
    }

    /// <summary>One line per row; a table gets the header first and goes through docker's tabwriter.</summary>
    public static string Render<T>(IEnumerable<T> rows, GoTemplate template, bool isTable, ITemplateObject header)
        where T : ITemplateObject
    {
        var text = new System.Text.StringBuilder();
        foreach (var row in rows)
        {
            text.Append(template.Execute(row)).Append('\n');
        }

        return isTable ? TabWriter.Format(template.ExecuteHeader(header) + "\n" + text) : text.ToString();
    }
}
