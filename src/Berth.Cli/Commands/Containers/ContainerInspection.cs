using System.Text.Json;
using Berth.Cli.Client;

namespace Berth.Cli.Commands.Containers;

/// <summary><c>GET /containers/{c}/json</c>, read loosely (the fields the CLI needs: Id, Config.Tty, Config.OpenStdin, State, HostConfig).</summary>
public sealed record ContainerInspection(string Id, bool Tty, bool OpenStdin, bool Running, bool Paused, bool Restarting, bool AutoRemove, JsonElement Raw)
{
    public static async Task<ContainerInspection> GetAsync(CommandContext context, string name, CancellationToken cancellationToken)
    {
        var response = await context.Client.SendAsync(HttpMethod.Get, "/containers/" + Uri.EscapeDataString(name) + "/json", cancellationToken: cancellationToken).ConfigureAwait(false);
        return Parse(response.Body);
    }

    public static ContainerInspection Parse(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement.Clone();
        return new ContainerInspection(
            Str(root, "Id"),
            Flag(root, "Config", "Tty"),
            Flag(root, "Config", "OpenStdin"),
            Flag(root, "State", "Running"),
            Flag(root, "State", "Paused"),
            Flag(root, "State", "Restarting"),
            Flag(root, "HostConfig", "AutoRemove"),
            root);
    }

    private static string Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static bool Flag(JsonElement root, string section, string name) =>
        root.TryGetProperty(section, out var part) && part.ValueKind == JsonValueKind.Object
        && part.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
