using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Volumes;

/// <summary><c>berth volume create [OPTIONS] [VOLUME]</c>: the request docker's CLI 28 sends (empty maps left out), then the name.</summary>
public sealed class VolumeCreateCommand : CliCommand
{
    public override string Path => "berth volume create";

    public override string Arguments => "[OPTIONS] [VOLUME]";

    public override string Description => "Create a volume";

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("driver", 'd', "string", "Specify volume driver name (default \"local\")"),
        new("label", null, "list", "Set metadata for a volume"),
        new("name", null, "string", "Specify volume name"),
        new("opt", 'o', "map", "Set driver specific options (default map[])"),
    ];

    /// <summary>docker's <c>VolumeCreateOptions</c> as Go marshals it: Driver, DriverOpts, Labels, Name, each left out when empty.</summary>
    public static byte[] BuildRequest(ParsedArgs args)
    {
        string name = args.Last("name") ?? "";
        if (args.Positionals.Count == 1)
        {
            if (name.Length > 0)
            {
                throw new ArgumentException("conflicting options: cannot specify a volume-name through both --name and as a positional arg");
            }

            name = args.Positionals[0];
        }

        var options = KeyValueArguments.ToMap(args.All("opt"));
        var labels = KeyValueArguments.ToMap(args.All("label"));
        string driver = args.Last("driver") ?? "local";
        var json = new GoJsonWriter().BeginObject();
        if (driver.Length > 0)
        {
            json.Name("Driver").String(driver);
        }

        if (options.Count > 0)
        {
            json.Name("DriverOpts").StringMap(options);
        }

        if (labels.Count > 0)
        {
            json.Name("Labels").StringMap(labels);
        }

        if (name.Length > 0)
        {
            json.Name("Name").String(name);
        }

        return json.EndObject().ToUtf8();
    }

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var response = await context.Client.SendAsync(HttpMethod.Post, "/volumes/create", BuildRequest(args), cancellationToken).ConfigureAwait(false);
        var created = JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.Volume);
        await context.Out.WriteLineAsync(created?.Name).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
