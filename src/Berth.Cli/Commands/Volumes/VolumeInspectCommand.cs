using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Volumes;

/// <summary><c>berth volume inspect</c>: <c>GET /volumes/{name}</c> per argument, printed as docker prints inspect output.</summary>
public sealed class VolumeInspectCommand : CliCommand
{
    public override string Path => "berth volume inspect";

    public override string Arguments => "[OPTIONS] VOLUME [VOLUME...]";

    public override string Description => "Display detailed information on one or more volumes";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("format", 'f', "string", "Format output using a custom template:\n'json' or a Go template"),
    ];

    protected override Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken) =>
        InspectPrinter.PrintAsync(context, args.Positionals, args.Last("format") ?? "", async name =>
        {
            var response = await context.Client.SendAsync(HttpMethod.Get, "/volumes/" + Uri.EscapeDataString(name), cancellationToken: cancellationToken).ConfigureAwait(false);
            return (response.Body, element => new InspectedObject(element, "volume.Volume", createdIsTime: false));
        });
}
