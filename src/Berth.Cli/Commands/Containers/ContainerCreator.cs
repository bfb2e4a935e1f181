using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>POST /containers/create[?name=]</c> with docker's pull rules: <c>--pull missing</c> (the default) pulls after a 404 and creates
/// again, <c>always</c> pulls first, <c>never</c> does not pull. Warnings go to stderr.
/// </summary>
public static class ContainerCreator
{
    private static readonly string[] PullPolicies = ["always", "missing", "never"];

    public static void ValidatePull(ParsedArgs args)
    {
        if (args.Last("pull") is { } pull && !PullPolicies.Contains(pull))
        {
            throw new ArgumentException($"invalid pull option: '{pull}': must be one of \"always\", \"missing\" or \"never\"");
        }
    }

    public static async Task<string> CreateAsync(CommandContext context, ParsedArgs args, byte[] body, CancellationToken cancellationToken)
    {
        var image = args.Positionals[0];
        var pull = args.Last("pull") ?? "missing";
        var path = "/containers/create" + (args.Last("name") is { } name ? "?name=" + Uri.EscapeDataString(name) : "");
        if (pull == "always")
        {
            await ImagePull.PullAsync(context, image, cancellationToken).ConfigureAwait(false);
        }

        DaemonResponse response;
        try
        {
            response = await context.Client.SendAsync(HttpMethod.Post, path, body, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonErrorException e) when (e.StatusCode == DaemonErrorException.NotFound && pull == "missing")
        {
            await context.Err.WriteLineAsync($"Unable to find image '{ImageReference.Parse(image).Familiar}' locally").ConfigureAwait(false);
            await ImagePull.PullAsync(context, image, cancellationToken).ConfigureAwait(false);
            response = await context.Client.SendAsync(HttpMethod.Post, path, body, cancellationToken).ConfigureAwait(false);
        }

        using var document = JsonDocument.Parse(response.Body);
        var root = document.RootElement;
        if (root.TryGetProperty("Warnings", out var warnings) && warnings.ValueKind == JsonValueKind.Array)
        {
            foreach (var warning in warnings.EnumerateArray())
            {
                await context.Err.WriteLineAsync("WARNING: " + warning.GetString()).ConfigureAwait(false);
            }
        }

        return root.GetProperty("Id").GetString() ?? "";
    }
}
