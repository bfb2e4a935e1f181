using System.Text.Json;
using Berth.Api.Contracts;
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
        await context.Out.WriteAsync(PruneRequest.Report("Deleted Volumes", report?.VolumesDeleted ?? [], report?.SpaceReclaimed ?? 0)).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
