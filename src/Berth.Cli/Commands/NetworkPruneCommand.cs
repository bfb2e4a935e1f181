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
    [
        new("filter", null, "filter", "Provide filter values (e.g. \"until=<timestamp>\")"),
        new("force", 'f', null, "Do not prompt for confirmation"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (!args.IsSet("force"))
        {
            if (!await ConfirmAsync(context, Warning, cancellationToken).ConfigureAwait(false))
            {
                return ExitCodes.Success;
            }
        }

        var filters = KeyValueArguments.FiltersJson(args.All("filter"));
        var path = filters is null ? "/networks/prune" : "/networks/prune?filters=" + Uri.EscapeDataString(filters);
        var response = await context.Client.SendAsync(HttpMethod.Post, path, cancellationToken: cancellationToken).ConfigureAwait(false);
        var pruned = JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.NetworkPruneResponse);
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
