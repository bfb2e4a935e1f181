using System.Text;
using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth rmi</c> / <c>berth image rm</c>: <c>DELETE /images/{name}</c> per argument, printing <c>Untagged:</c> and
/// <c>Deleted:</c> lines; a failure is reported on stderr and the rest still go; exit 1 if any failed.
/// </summary>
public sealed class ImageRmCommand(string path = "berth image rm") : CliCommand
{
    public override string Path => path;

    public override string Arguments => "[OPTIONS] IMAGE [IMAGE...]";

    public override string Description => "Remove one or more images";

    public override IReadOnlyList<string> Aliases => ["berth image rm", "berth image remove", "berth rmi"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("force", 'f', null, "Force removal of the image"),
        new("no-prune", null, null, "Do not delete untagged parents"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var query = (args.IsSet("force") ? "?force=1" : "?") + (args.IsSet("no-prune") ? (args.IsSet("force") ? "&" : "") + "noprune=1" : "");
        query = query == "?" ? "" : query;
        var errors = new List<string>();
        foreach (var name in args.Positionals)
        {
            try
            {
                var response = await context.Client.SendAsync(HttpMethod.Delete, ImagePath.Of(name) + query, cancellationToken: cancellationToken).ConfigureAwait(false);
                var text = new StringBuilder();
                foreach (var item in JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.ListImageDeleteResponseItem) ?? [])
                {
                    text.Append(item.Untagged is { } untagged ? "Untagged: " + untagged : "Deleted: " + item.Deleted).Append('\n');
                }

                await context.Out.WriteAsync(text.ToString()).ConfigureAwait(false);
            }
            catch (DaemonErrorException e)
            {
                errors.Add("Error response from daemon: " + e.Message);
            }
        }

        foreach (var error in errors)
        {
            await context.Err.WriteLineAsync(error).ConfigureAwait(false);
        }

        return errors.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
