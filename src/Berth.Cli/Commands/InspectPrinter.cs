using System.Text;
using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// docker's inspect output for any object: without a format the daemon's JSON of every object found, as one array re-indented
/// with four spaces (docker's <c>json.Indent</c>); with <c>-f</c> the template over each; what was not found is reported on stderr
/// after the output, and the exit code is 1. A template that does not parse exits 64.
/// </summary>
public static class InspectPrinter
{
    private const string Indent = "    ";

    /// <param name="fetch">Returns the raw JSON and how templates see it; throws <see cref="DaemonErrorException"/> or <see cref="StatusException"/>.</param>
    public static async Task<int> PrintAsync(
        CommandContext context, IReadOnlyList<string> names, string format, Func<string, Task<(byte[] Body, Func<JsonElement, ITemplateObject> Wrap)>> fetch)
    {
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
        foreach (var name in names)
        {
            (byte[] Body, Func<JsonElement, ITemplateObject> Wrap) found;
            try
            {
                found = await fetch(name).ConfigureAwait(false);
                raw.Add(found.Body);
            }
            catch (DaemonErrorException e)
            {
                errors.Add("Error response from daemon: " + e.Message);
                continue;
            }
            catch (StatusException e)
            {
                errors.Add(e.Message);
                continue;
            }

            if (template is not null)
            {
                using var document = JsonDocument.Parse(found.Body);
                try
                {
                    output.Append(template.Execute(found.Wrap(document.RootElement))).Append('\n');
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
