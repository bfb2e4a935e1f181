using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth inspect</c> (and <c>container inspect</c>): with <c>--type</c> one kind of object; without, as docker's inspect, the
/// first of container, image, network and volume that exists by that name (a 404 tries the next; none found is
/// "Error: No such object: NAME").
/// </summary>
public sealed class InspectCommand(string path, string? fixedType = null) : ContainerCommand(path)
{
    private static readonly (string Type, Func<string, string> Path, string TypeName, bool CreatedIsTime)[] Kinds =
    [
        ("container", name => "/containers/" + Uri.EscapeDataString(name) + "/json", "container.InspectResponse", false),
        ("image", name => ImagePath.Of(name, "json"), "image.InspectResponse", false),
        ("network", name => "/networks/" + Uri.EscapeDataString(name), "network.Inspect", true),
        ("volume", name => "/volumes/" + Uri.EscapeDataString(name), "volume.Volume", true),
    ];

    public override string Arguments => fixedType is null ? "[OPTIONS] NAME|ID [NAME|ID...]" : "[OPTIONS] CONTAINER [CONTAINER...]";

    public override string Description => fixedType is null ? "Return low-level information on Docker objects" : "Display detailed information on one or more containers";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("format", 'f', "string", "Format output using a custom template:\n'json' or a Go template"),
        new("size", 's', null, "Display total file sizes if the type is container"),
        new("type", null, "string", "Only inspect objects of the given type"),
    ];

    protected override Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var type = fixedType ?? args.Last("type");
        if (type is not null && Kinds.All(k => k.Type != type))
        {
            throw new StatusException(ExitCodes.Failure, $"\"{type}\" is not a valid value for --type");
        }

        var sizeQuery = args.IsSet("size") ? "?size=1" : "";
        return InspectPrinter.PrintAsync(context, args.Positionals, args.Last("format") ?? "", async name =>
        {
            foreach (var kind in Kinds.Where(k => type is null || k.Type == type))
            {
                try
                {
                    var query = kind.Type == "container" ? sizeQuery : "";
                    var response = await context.Client.SendAsync(HttpMethod.Get, kind.Path(name) + query, cancellationToken: cancellationToken).ConfigureAwait(false);
                    return (response.Body, element => new InspectedObject(element, kind.TypeName, kind.CreatedIsTime));
                }
                catch (DaemonErrorException e) when (type is null && e.StatusCode is DaemonErrorException.NotFound or NotImplemented)
                {
                    // Not this kind of object: try the next, as docker does.
                }
            }

            throw new StatusException(ExitCodes.Failure, "Error: No such object: " + name);
        });
    }

    private const int NotImplemented = 501;
}
