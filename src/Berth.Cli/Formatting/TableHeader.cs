using System.Text;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>
/// The header row of a docker table (docker's <c>SubHeaderContext</c>): each field's column title, "" for a field without one;
/// <c>{{.Label "k"}}</c> heads its column with the key.
/// </summary>
public sealed class TableHeader(IReadOnlyDictionary<string, string> titles) : ITemplateObject
{
    public string TypeName => "formatter.SubHeaderContext";

    public bool TryGetField(string name, out object? value)
    {
        value = titles.TryGetValue(name, out var title) ? title : "";
        return true;
    }

    public bool TryInvoke(string name, IReadOnlyList<object?> arguments, out object? value)
    {
        value = name == "Label" && arguments.Count == 1 ? arguments[0] : "";
        return true;
    }

    public void WriteJson(StringBuilder output) => output.Append("{}");
}
