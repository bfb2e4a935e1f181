using System.Text;
using System.Text.Json;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// A network as <c>network inspect -f</c> sees it: the daemon's JSON fields, except that <c>.Created</c> prints as Go's
/// <c>time.Time</c> does (docker decodes into a typed struct before running the template).
/// </summary>
public sealed class InspectedNetwork(JsonElement network) : ITemplateObject
{
    public string TypeName => "network.Inspect";

    public bool TryGetField(string name, out object? value)
    {
        if (!network.TryGetProperty(name, out var property))
        {
            value = null;
            return false;
        }

        value = name == "Created" && property.ValueKind == JsonValueKind.String ? new TemplateTime(property.GetString()!) : property;
        return true;
    }

    public bool TryInvoke(string name, IReadOnlyList<object?> arguments, out object? value)
    {
        value = null;
        return false;
    }

    public void WriteJson(StringBuilder output) => GoJson.WriteElement(output, network);
}
