using System.Text;
using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth network prune</c>: asks first unless <c>-f</c>, then <c>POST /networks/prune</c>.</summary>
public sealed class NetworkPruneCommand : CliCommand
{
    public const string Warning = "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ";

    public override string Path => "berth network prune";

    public override string Arguments => "[OPTIONS]";

    public override string Description => "Remove all unused networks";

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [PruneRequest.FilterFlag, PruneRequest.ForceFlag];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var body = await PruneRequest.SendAsync(context, args, "/networks/prune", Warning, [], cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return ExitCodes.Success;
        }

        var pruned = JsonSerializer.Deserialize(body, DockerJsonContext.Default.NetworkPruneResponse);
        if (pruned?.NetworksDeleted is { Count: > 0 } deleted)
        {
            var text = new StringBuilder("Deleted Networks:\n");
            foreach (var name in deleted)
            {
                text.Append(name).Append('\n');
            }

            await context.Out.WriteLineAsync(text.ToString()).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
