using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Diagnostics;

/// <summary>
/// <c>berth doctor [--network NAME] [--container NAME] [--format table|json|TEMPLATE]</c>: berthd runs its checks
/// (<c>GET /berth/doctor</c>) and this prints them as a table, problems first. Exits 1 when any check found a problem,
/// so a script can tell.
/// </summary>
public sealed class DoctorCommand : CliCommand
{
    public const string DefaultTableFormat = "table {{.Check}}\t{{.Subject}}\t{{.Status}}\t{{.Found}}\t{{.Fix}}";

    public override string Path => "berth doctor";

    public override string Arguments => "[OPTIONS]";

    public override string Description => "Diagnose networking: macvlan host access, MTU, published ports, DNS, the host's firewall and the cluster";

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("container", null, "string", "Only the checks of this container and its networks"),
        new("format", null, "string", "Format output using a custom template:\n'table', 'table TEMPLATE', 'json' (the whole report), or a Go template"),
        new("network", null, "string", "Only the checks of this network"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (args.Last("network") is { Length: > 0 } network)
        {
            query.Add("network=" + Uri.EscapeDataString(network));
        }

        if (args.Last("container") is { Length: > 0 } container)
        {
            query.Add("container=" + Uri.EscapeDataString(container));
        }

        string path = "/berth/doctor" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
        var response = await context.Client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
        var report = JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.DoctorReport) ?? new();
        string format = args.Last("format") ?? "";
        if (format == "json")
        {
            await context.Out.WriteAsync(JsonSerializer.Serialize(report, DockerJsonContext.Default.DoctorReport) + "\n").ConfigureAwait(false);
        }
        else
        {
            var template = ListFormat.Parse(format is "" or "table" ? DefaultTableFormat : format, out bool isTable);
            var rows = report.Findings.OrderBy(f => Rank(f.Status)).Select(f => new DoctorRow(f));
            await context.Out.WriteAsync(ListFormat.Render(rows, template, isTable, DoctorRow.Header)).ConfigureAwait(false);
        }

        return report.Findings.Any(f => f.Status == "problem") ? ExitCodes.Failure : ExitCodes.Success;
    }

    /// <summary>Problems first, then warnings, then what is fine; within each, the checks' own order.</summary>
    private static int Rank(string status) => status switch
    {
        "problem" => 0,
        "warning" => 1,
        _ => 2,
    };
}
