using System.Text;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>The header row of a docker table: each field's column title (docker's <c>SubHeaderContext</c>), "" for others.</summary>
public sealed class ColumnHeader(IReadOnlyDictionary<string, string> titles) : ITemplateObject
{
    public string TypeName => "formatter.SubHeaderContext";

    public bool TryGetField(string name, out object? value)
    {
        value = titles.TryGetValue(name, out var title) ? title : "";
        return true;
    }

    public bool TryInvoke(string name, IReadOnlyList<object?> arguments, out object? value)
    {
        value = "";
        return true;
    }

    public void WriteJson(StringBuilder output) => output.Append("{}");
}
