using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth image inspect</c>: <c>GET /images/{name}/json</c> per argument, printed as docker prints inspect output.</summary>
public sealed class ImageInspectCommand : CliCommand
{
    public override string Path => "berth image inspect";

    public override string Arguments => "[OPTIONS] IMAGE [IMAGE...]";

    public override string Description => "Display detailed information on one or more images";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("format", 'f', "string", "Format output using a custom template:\n'json' or a Go template"),
    ];

    protected override Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken) =>
        InspectPrinter.PrintAsync(context, args.Positionals, args.Last("format") ?? "", async name =>
        {
            var response = await context.Client.SendAsync(HttpMethod.Get, ImagePath.Of(name, "json"), cancellationToken: cancellationToken).ConfigureAwait(false);
            return (response.Body, InspectedObject.Image);
        });
}
