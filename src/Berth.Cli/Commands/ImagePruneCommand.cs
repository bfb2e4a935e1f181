using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth image prune [-a] [-f] [--filter]</c>: asks first unless <c>-f</c>, then <c>POST /images/prune</c> with <c>dangling</c>.</summary>
public sealed class ImagePruneCommand : CliCommand
{
    public const string DanglingWarning = "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ";
    public const string AllWarning = "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] ";

    public override string Path => "berth image prune";

    public override string Arguments => "[OPTIONS]";

    public override string Description => "Remove unused images";

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("all", 'a', null, "Remove all unused images, not just dangling ones"),
        PruneRequest.FilterFlag,
        PruneRequest.ForceFlag,
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        bool all = args.IsSet("all");
        var body = await PruneRequest.SendAsync(context, args, "/images/prune", all ? AllWarning : DanglingWarning, ["dangling=" + (all ? "false" : "true")], cancellationToken)
            .ConfigureAwait(false);
        if (body is null)
        {
            return ExitCodes.Success;
        }

        var report = JsonSerializer.Deserialize(body, DockerJsonContext.Default.ImagePruneResponse);
        var deleted = (report?.ImagesDeleted ?? []).Select(item => item.Untagged is { Length: > 0 } untagged ? "untagged: " + untagged : "deleted: " + item.Deleted).ToList();
        await context.Out.WriteAsync(PruneRequest.Report("Deleted Images", deleted, report?.SpaceReclaimed ?? 0)).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
