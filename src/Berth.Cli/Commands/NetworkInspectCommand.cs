using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth network inspect</c>: <c>GET /networks/{name}</c> per argument. Without a format, the daemon's JSON re-indented with
/// four spaces (docker's <c>json.Indent</c>); a name that fails is reported on stderr and the rest still print; exit 1.
/// </summary>
public sealed class NetworkInspectCommand : CliCommand
{
    public override string Path => "berth network inspect";

    public override string Arguments => "[OPTIONS] NETWORK [NETWORK...]";

    public override string Description => "Display detailed information on one or more networks";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("format", 'f', "string", "Format output using a custom template:\n'json' or a Go template"),
        new("verbose", 'v', null, "Verbose output for diagnostics"),
    ];

    protected override Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var query = args.IsSet("verbose") ? "?verbose=true" : "";
        return InspectPrinter.PrintAsync(context, args.Positionals, args.Last("format") ?? "", async name =>
        {
            var response = await context.Client.SendAsync(HttpMethod.Get, "/networks/" + Uri.EscapeDataString(name) + query, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (response.Body, InspectedObject.Network);
        });
    }
}
