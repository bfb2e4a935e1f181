using System.Text;

namespace Berth.Cli.Templates;

/// <summary>
/// A value with named fields and methods, like the Go structs docker's formatters hand to their templates
/// (for example the row of <c>network ls</c>). Field lookups that fail name <see cref="TypeName"/>, as Go does.
/// </summary>
public interface ITemplateObject
{
    string TypeName { get; }

    bool TryGetField(string name, out object? value);

    /// <summary>A method taking arguments, <c>{{.Label "k"}}</c>; false when there is no such method.</summary>
    bool TryInvoke(string name, IReadOnlyList<object?> arguments, out object? value);

    /// <summary>What <c>{{json .}}</c> prints.</summary>
    void WriteJson(StringBuilder output);
}
