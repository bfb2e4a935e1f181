using System.Text;
using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary><c>berth container prune</c>: asks first unless <c>-f</c>, then <c>POST /containers/prune[?filters=]</c>.</summary>
public sealed class ContainerPruneCommand(string path) : ContainerCommand(path)
{
    public const string Warning = "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ";

    public override string Arguments => "[OPTIONS]";

    public override string Description => "Remove all stopped containers";

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [PruneRequest.FilterFlag, PruneRequest.ForceFlag];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var body = await PruneRequest.SendAsync(context, args, "/containers/prune", Warning, [], cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return ExitCodes.Success;
        }

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var text = new StringBuilder();
        long reclaimed = 0;
        if (root.TryGetProperty("ContainersDeleted", out var deleted) && deleted.ValueKind == JsonValueKind.Array && deleted.GetArrayLength() > 0)
        {
            text.Append("Deleted Containers:\n");
            foreach (var id in deleted.EnumerateArray())
            {
                text.Append(id.GetString()).Append('\n');
            }

            text.Append('\n');
            reclaimed = root.TryGetProperty("SpaceReclaimed", out var space) && space.TryGetInt64(out var bytes) ? bytes : 0;
        }

        text.Append("Total reclaimed space: ").Append(GoUnits.HumanSize(reclaimed)).Append('\n');
        await context.Out.WriteAsync(text.ToString()).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
