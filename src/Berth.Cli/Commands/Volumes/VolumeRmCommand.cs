using Berth.Cli.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Volumes;

/// <summary><c>berth volume rm [-f]</c>: <c>DELETE /volumes/{name}[?force=1]</c> for each; prints what went, reports what did not, exit 1 if any failed.</summary>
public sealed class VolumeRmCommand : CliCommand
{
    public override string Path => "berth volume rm";

    public override string Arguments => "[OPTIONS] VOLUME [VOLUME...]";

    public override string Description => "Remove one or more volumes";

    public override IReadOnlyList<string> Aliases => ["berth volume rm", "berth volume remove"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("force", 'f', null, "Force the removal of one or more volumes"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var query = args.IsSet("force") ? "?force=1" : "";
        var failed = false;
        foreach (var name in args.Positionals)
        {
            try
            {
                await context.Client.SendAsync(HttpMethod.Delete, "/volumes/" + Uri.EscapeDataString(name) + query, cancellationToken: cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(name).ConfigureAwait(false);
            }
            catch (DaemonErrorException e)
            {
                failed = true;
                await context.Err.WriteLineAsync("Error response from daemon: " + e.Message).ConfigureAwait(false);
            }
        }

        return failed ? ExitCodes.Failure : ExitCodes.Success;
    }
}
