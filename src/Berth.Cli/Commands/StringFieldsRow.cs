using System.Text;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// A table row whose fields are all strings, as docker's formatter contexts for images and history are: <c>{{.Field}}</c>
/// looks them up, <c>{{json .}}</c> prints them with Go's sorted keys
/// and its HTML escaping (docker's rows marshal themselves with <c>json.Marshal</c>).
/// </summary>
public abstract class StringFieldsRow(string typeName) : ITemplateObject
{
    protected SortedDictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public string TypeName => typeName;

    public bool TryGetField(string name, out object? value)
    {
        var found = Fields.TryGetValue(name, out var text);
        value = text;
        return found;
    }

    public virtual bool TryInvoke(string name, IReadOnlyList<object?> arguments, out object? value)
    {
        value = null;
        return false;
    }

    public void WriteJson(StringBuilder output)
    {
        output.Append('{');
        foreach (var (name, text) in Fields)
        {
            output.Append(output[^1] == '{' ? "" : ",");
            GoJson.WriteString(output, name);
            output.Append(':');
            GoJson.WriteString(output, text, escapeHtml: true);
        }

        output.Append('}');
    }
}
