using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Volumes;

/// <summary>The header row of a <c>volume ls</c> table, as docker's <c>newVolumeContext</c> names the columns.</summary>
public static class VolumeHeader
{
    public static readonly TableHeader Instance = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ID"] = "ID",
        ["Name"] = "VOLUME NAME",
        ["Group"] = "GROUP",
        ["Driver"] = "DRIVER",
        ["Scope"] = "SCOPE",
        ["Availability"] = "AVAILABILITY",
        ["Mountpoint"] = "MOUNTPOINT",
        ["Labels"] = "LABELS",
        ["Links"] = "LINKS",
        ["Size"] = "SIZE",
        ["Status"] = "STATUS",
    });
}
