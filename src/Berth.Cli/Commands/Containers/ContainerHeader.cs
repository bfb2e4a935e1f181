using System.Text;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Containers;

/// <summary>The header row of a <c>ps</c> table: each field's column title, as docker names them.</summary>
public sealed class ContainerHeader : ITemplateObject
{
    public static readonly ContainerHeader Instance = new();

    public string TypeName => "formatter.SubHeaderContext";

    public bool TryGetField(string name, out object? value)
    {
        value = name switch
        {
            "ID" => "CONTAINER ID",
            "Names" => "NAMES",
            "Image" => "IMAGE",
            "Command" => "COMMAND",
            "CreatedAt" => "CREATED AT",
            "RunningFor" => "CREATED",
            "Ports" => "PORTS",
            "State" => "STATE",
            "Status" => "STATUS",
            "Size" => "SIZE",
            "Labels" => "LABELS",
            "Mounts" => "MOUNTS",
            "LocalVolumes" => "LOCAL VOLUMES",
            "Networks" => "NETWORKS",
            "Platform" => "PLATFORM",
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
