using System.Globalization;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// What <c>stats --format</c> sees, docker's <c>statsContext</c>: percentages with two decimals, memory in binary units
/// (<c>248KiB / 64MiB</c>), network and block I/O in decimal units with 3 digits (<c>1.81kB / 726B</c>), <c>--</c> for an invalid entry.
/// </summary>
public sealed class StatsRow : StringFieldsRow
{
    private const string NoValue = "--";
    private const int IoPrecision = 3;

    public static readonly TableHeader Header = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Container"] = "CONTAINER",
        ["Name"] = "NAME",
        ["ID"] = "CONTAINER ID",
        ["CPUPerc"] = "CPU %",
        ["MemUsage"] = "MEM USAGE / LIMIT",
        ["MemPerc"] = "MEM %",
        ["NetIO"] = "NET I/O",
        ["BlockIO"] = "BLOCK I/O",
        ["PIDs"] = "PIDS",
    });

    public StatsRow(StatsEntry entry, bool truncate)
        : base("*container.statsContext")
    {
        var invalid = entry.IsInvalid;
        Fields["Container"] = entry.Container;
        Fields["Name"] = entry.Name.Length > 1 ? entry.Name[1..] : NoValue;
        Fields["ID"] = truncate ? GoUnits.TruncateId(entry.Id) : entry.Id;
        Fields["CPUPerc"] = invalid ? NoValue : Percentage(entry.CpuPercentage);
        Fields["MemUsage"] = invalid ? NoValue + " / " + NoValue : GoUnits.BytesSize(entry.Memory) + " / " + GoUnits.BytesSize(entry.MemoryLimit);
        Fields["MemPerc"] = invalid ? NoValue : Percentage(entry.MemoryPercentage);
        Fields["NetIO"] = invalid ? NoValue : Pair(entry.NetworkRx, entry.NetworkTx);
        Fields["BlockIO"] = invalid ? NoValue : Pair(entry.BlockRead, entry.BlockWrite);
        Fields["PIDs"] = invalid ? NoValue : entry.PidsCurrent.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Go's <c>strconv.FormatFloat(v, 'f', 2, 64) + "%"</c>.</summary>
    public static string Percentage(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + "%";

    private static string Pair(double first, double second) =>
        GoUnits.HumanSize(first, IoPrecision) + " / " + GoUnits.HumanSize(second, IoPrecision);
}
