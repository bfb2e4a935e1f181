using System.Text;
using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// docker's inspect output for one GET per argument: without a format the daemon's JSON re-indented with four spaces
/// (docker's <c>json.Indent</c>), <c>json</c> compact, or a template per object; a name that fails is reported on stderr
/// while the rest still print, and the exit code is 1.
/// </summary>
public static class InspectPrinter
{
    private const string Indent = "    ";

    public static async Task<int> RunAsync(
        CommandContext context, ParsedArgs args, Func<string, string> pathOf, Func<JsonElement, ITemplateObject> wrap, CancellationToken cancellationToken)
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

        var raw = new List<byte[]>();
        var errors = new List<string>();
        var output = new StringBuilder();
        foreach (var name in args.Positionals)
        {
            try
            {
                var response = await context.Client.SendAsync(HttpMethod.Get, pathOf(name), cancellationToken: cancellationToken)
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
                    output.Append(template.Execute(wrap(document.RootElement))).Append('\n');
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
