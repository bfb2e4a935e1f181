using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Containers;

/// <summary>The header row of a <c>ps</c> table: each field's column title, as docker names them.</summary>
public static class ContainerHeader
{
    public static readonly TableHeader Instance = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ID"] = "CONTAINER ID",
        ["Names"] = "NAMES",
        ["Image"] = "IMAGE",
        ["Command"] = "COMMAND",
        ["CreatedAt"] = "CREATED AT",
        ["RunningFor"] = "CREATED",
        ["Ports"] = "PORTS",
        ["State"] = "STATE",
        ["Status"] = "STATUS",
        ["Size"] = "SIZE",
        ["Labels"] = "LABELS",
        ["Mounts"] = "MOUNTS",
        ["LocalVolumes"] = "LOCAL VOLUMES",
        ["Networks"] = "NETWORKS",
        ["Platform"] = "PLATFORM",
    });
}
