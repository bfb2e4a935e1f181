using Berth.Api.Contracts.Diagnostics;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Diagnostics;

/// <summary>What <c>berth doctor --format</c> sees: <c>.Check</c>, <c>.Subject</c>, <c>.Status</c>, <c>.Found</c>, <c>.Fix</c>.</summary>
public sealed class DoctorRow : StringFieldsRow
{
    public static readonly TableHeader Header = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Check"] = "CHECK",
        ["Subject"] = "SUBJECT",
        ["Status"] = "STATUS",
        ["Found"] = "FOUND",
        ["Fix"] = "FIX",
    });

    public DoctorRow(DoctorFindingContract finding)
        : base("*doctor.finding")
    {
        Fields["Check"] = finding.Check;
        Fields["Subject"] = finding.Subject;
        Fields["Status"] = finding.Status;
        Fields["Found"] = finding.Found;
        Fields["Fix"] = finding.Fix ?? "";
    }
}
