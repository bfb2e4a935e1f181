using System.Text;
using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth network inspect</c>: <c>GET /networks/{name}</c> per argument. Without a format, the daemon's JSON re-indented with
/// four spaces (docker's <c>json.Indent</c>); a name that fails is reported on stderr and the rest still print; exit 1.
/// </summary>
public sealed class NetworkInspectCommand : CliCommand
{
    private const string Indent = "    ";

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

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var format = args.Last("format") ?? "";
        GoTemplate? template = null;
        if (format.Length > 0 && format != "json")
        {
            try
            {
                template = GoTemplate.Parse(format);
            }
            catch (TemplateException e)
            {
                await context.Err.WriteLineAsync("template parsing error: " + e.Message).ConfigureAwait(false);
                return ExitCodes.TemplateParseError;
            }
        }

        var query = args.IsSet("verbose") ? "?verbose=true" : "";
        var raw = new List<byte[]>();
        var errors = new List<string>();
        var output = new StringBuilder();
        foreach (var name in args.Positionals)
        {
            try
            {
                var response = await context.Client.SendAsync(HttpMethod.Get, "/networks/" + Uri.EscapeDataString(name) + query, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                raw.Add(response.Body);
            }
            catch (DaemonErrorException e)
            {
                errors.Add("Error response from daemon: " + e.Message);
                continue;
            }

            if (template is not null)
            {
                using var document = JsonDocument.Parse(raw[^1]);
                try
                {
                    output.Append(template.Execute(new InspectedNetwork(document.RootElement))).Append('\n');
                }
                catch (TemplateException e)
                {
                    await context.Out.WriteAsync(output.ToString()).ConfigureAwait(false);
                    await context.Err.WriteLineAsync("template parsing error: " + e.Message).ConfigureAwait(false);
                    return ExitCodes.Failure;
                }
            }
        }

        if (template is null)
        {
            var array = "[" + string.Join(",", raw.Select(r => Encoding.UTF8.GetString(r).Trim())) + "]";
            output.Append(format == "json" ? Compact(array) : GoJson.Indent(array, Indent)).Append('\n');
        }

        await context.Out.WriteAsync(output.ToString()).ConfigureAwait(false);
        foreach (var error in errors)
        {
            await context.Err.WriteLineAsync(error).ConfigureAwait(false);
        }

        return errors.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        var output = new StringBuilder();
        GoJson.WriteElement(output, document.RootElement);
        return output.ToString();
    }
}
