using Berth.Cli.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth network rm</c>: <c>DELETE /networks/{name}</c> for each; prints what went, reports what did not, exit 1 if any failed.</summary>
public sealed class NetworkRmCommand : CliCommand
{
    public override string Path => "berth network rm";

    public override string Arguments => "NETWORK [NETWORK...]";

    public override string Description => "Remove one or more networks";

    public override IReadOnlyList<string> Aliases => ["berth network rm", "berth network remove"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("force", 'f', null, "Do not error if the network does not exist"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var force = args.IsSet("force");
        var failed = false;
        foreach (var name in args.Positionals)
        {
            try
            {
                await context.Client.SendAsync(HttpMethod.Delete, "/networks/" + Uri.EscapeDataString(name), cancellationToken: cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(name).ConfigureAwait(false);
            }
            catch (DaemonErrorException e) when (force && e.StatusCode == DaemonErrorException.NotFound)
            {
                // -f: a network that is already gone is not an error.
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
