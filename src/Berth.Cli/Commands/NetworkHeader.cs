using Berth.Cli.Formatting;

namespace Berth.Cli.Commands;

/// <summary>The header row of a <c>network ls</c> table: each field's column title, as docker names them.</summary>
public static class NetworkHeader
{
    public static readonly TableHeader Instance = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ID"] = "NETWORK ID",
        ["Name"] = "NAME",
        ["Driver"] = "DRIVER",
        ["Scope"] = "SCOPE",
        ["IPv4"] = "IPV4",
        ["IPv6"] = "IPV6",
        ["Internal"] = "INTERNAL",
        ["Labels"] = "LABELS",
        ["CreatedAt"] = "CREATED AT",
    });
}
