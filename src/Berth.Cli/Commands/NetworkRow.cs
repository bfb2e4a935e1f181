using System.Text;
using Berth.Api.Contracts;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// What <c>network ls --format</c> sees, docker's <c>networkContext</c>: every field a string. <c>.Labels</c> is <c>k=v,...</c>
/// (sorted here; Go's map order is random), <c>.CreatedAt</c> is Go's time format, <c>.Label "k"</c> one label.
/// </summary>
public sealed class NetworkRow(Network network, bool truncate) : ITemplateObject
{
    private const int ShortIdLength = 12;

    /// <summary>The fields <c>{{json .}}</c> prints, in Go's sorted-key order.</summary>
    public static readonly string[] FieldNames = ["CreatedAt", "Driver", "ID", "IPv4", "IPv6", "Internal", "Labels", "Name", "Scope"];

    public string TypeName => "*network.networkContext";

    public bool TryGetField(string name, out object? value)
    {
        value = name switch
        {
            "ID" => truncate && network.Id.Length > ShortIdLength ? network.Id[..ShortIdLength] : network.Id,
            "Name" => network.Name,
            "Driver" => network.Driver,
            "Scope" => network.Scope,
            // API 1.45 has no EnableIPv4, so docker's CLI shows false too.
            "IPv4" => "false",
            "IPv6" => network.EnableIPv6 ? "true" : "false",
            "Internal" => network.Internal ? "true" : "false",
            "Labels" => string.Join(",", network.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
            "CreatedAt" => GoTime.Format(network.Created),
            _ => null,
        };
        return value is not null;
    }

    public bool TryInvoke(string name, IReadOnlyList<object?> arguments, out object? value)
    {
        value = null;
        if (name != "Label" || arguments.Count != 1 || arguments[0] is not string key)
        {
            return false;
        }

        value = network.Labels.TryGetValue(key, out var label) ? label : "";
        return true;
    }

    public void WriteJson(StringBuilder output)
    {
        output.Append('{');
        foreach (var field in FieldNames)
        {
            output.Append(output[^1] == '{' ? "" : ",");
            GoJson.WriteString(output, field);
            output.Append(':');
            TryGetField(field, out var value);
            GoJson.WriteString(output, (string)value!);
        }

        output.Append('}');
    }
}
