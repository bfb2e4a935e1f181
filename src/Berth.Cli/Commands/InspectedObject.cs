using System.Text;
using System.Text.Json;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// An object as <c>inspect -f</c> sees it: the daemon's JSON fields. For a network <c>.Created</c> prints as Go's <c>time.Time</c>
/// does (docker decodes into a typed struct before running the template); containers and images keep it a string, as in Go.
/// </summary>
public sealed class InspectedObject(JsonElement element, string typeName, bool createdIsTime) : ITemplateObject
{
    public static InspectedObject Network(JsonElement network) => new(network, "network.Inspect", createdIsTime: true);

    public static InspectedObject Image(JsonElement image) => new(image, "image.InspectResponse", createdIsTime: false);

    public string TypeName => typeName;

    public bool TryGetField(string name, out object? value)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var property))
        {
            value = null;
            return false;
        }

        value = createdIsTime && name == "Created" && property.ValueKind == JsonValueKind.String ? new TemplateTime(property.GetString()!) : property;
        return true;
    }

    public bool TryInvoke(string name, IReadOnlyList<object?> arguments, out object? value)
    {
        value = null;
        return false;
    }

    public void WriteJson(StringBuilder output) => GoJson.WriteElement(output, element);
}
