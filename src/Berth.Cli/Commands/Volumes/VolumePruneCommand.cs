using System.Text;
using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Volumes;

/// <summary><c>berth volume prune [-a] [-f] [--filter]</c>: asks first unless <c>-f</c>, then <c>POST /volumes/prune</c> (<c>all=true</c> with <c>-a</c>).</summary>
public sealed class VolumePruneCommand : CliCommand
{
    public const string AnonymousWarning = "WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ";
    public const string AllWarning = "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ";

    public override string Path => "berth volume prune";

    public override string Arguments => "[OPTIONS]";

    public override string Description => "Remove unused local volumes";

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("all", 'a', null, "Remove all unused volumes, not just anonymous ones"),
        new("filter", null, "filter", "Provide filter values (e.g. \"label=<label>\")"),
        PruneRequest.ForceFlag,
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        bool all = args.IsSet("all");
        if (all && args.All("filter").Any(f => f.StartsWith("all=", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException("conflicting options: cannot specify both --all and --filter all=1");
        }

        var body = await PruneRequest.SendAsync(context, args, "/volumes/prune", all ? AllWarning : AnonymousWarning, all ? ["all=true"] : [], cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return ExitCodes.Success;
        }

        var report = JsonSerializer.Deserialize(body, DockerJsonContext.Default.VolumePruneResponse);
        var text = new StringBuilder();
        ulong reclaimed = 0;
        if (report?.VolumesDeleted is { Count: > 0 } deleted)
        {
            text.Append("Deleted Volumes:\n");
            foreach (var name in deleted)
            {
                text.Append(name).Append('\n');
            }

            text.Append('\n');
            reclaimed = report.SpaceReclaimed;
        }

        text.Append("Total reclaimed space: ").Append(GoUnits.HumanSize(reclaimed)).Append('\n');
        await context.Out.WriteAsync(text.ToString()).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
