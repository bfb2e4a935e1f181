using System.Text;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>The header row of a <c>network ls</c> table: each field's column title, as docker names them.</summary>
public sealed class NetworkHeader : ITemplateObject
{
    public static readonly NetworkHeader Instance = new();

    public string TypeName => "formatter.SubHeaderContext";

    public bool TryGetField(string name, out object? value)
    {
        value = name switch
        {
            "ID" => "NETWORK ID",
            "Name" => "NAME",
            "Driver" => "DRIVER",
            "Scope" => "SCOPE",
            "IPv4" => "IPV4",
            "IPv6" => "IPV6",
            "Internal" => "INTERNAL",
            "Labels" => "LABELS",
            "CreatedAt" => "CREATED AT",
            _ => "",
        };
        return true;
    }

    /// <summary><c>{{.Label "k"}}</c> heads its column with the key.</summary>
    public bool TryInvoke(string name, IReadOnlyList<object?> arguments, out object? value)
    {
        value = name == "Label" && arguments.Count == 1 ? arguments[0] : "";
        return true;
    }

    public void WriteJson(StringBuilder output) => output.Append("{}");
}
