using System.Text;
using System.Text.Json;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>An image as <c>image inspect -f</c> sees it: the daemon's JSON fields as they are (docker's <c>Created</c> is a string here).</summary>
public sealed class InspectedImage(JsonElement image) : ITemplateObject
{
    public string TypeName => "image.InspectResponse";

    public bool TryGetField(string name, out object? value)
    {
        var found = image.TryGetProperty(name, out var property);
        value = found ? property : null;
        return found;
    }

    public bool TryInvoke(string name, IReadOnlyList<object?> arguments, out object? value)
    {
        value = null;
        return false;
    }

    public void WriteJson(StringBuilder output) => GoJson.WriteElement(output, image);
}
