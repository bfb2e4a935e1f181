using System.Globalization;
using System.Text.Json;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary><c>berth port</c>: the published ports from inspect's <c>NetworkSettings.Ports</c>, naturally sorted, as docker prints them.</summary>
public sealed class PortCommand(string path) : ContainerCommand(path)
{
    public override string Arguments => "CONTAINER [PRIVATE_PORT[/PROTO]]";

    public override string Description => "List port mappings or a specific mapping for the container";

    protected override int MinArguments => 1;

    protected override int MaxArguments => 2;

    public override IReadOnlyList<FlagSpec> Flags { get; } = [];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var name = args.Positionals[0];
        var container = await ContainerInspection.GetAsync(context, name, cancellationToken).ConfigureAwait(false);
        var ports = container.Raw.TryGetProperty("NetworkSettings", out var settings) && settings.ValueKind == JsonValueKind.Object
            && settings.TryGetProperty("Ports", out var map) && map.ValueKind == JsonValueKind.Object ? map : default;
        var lines = new List<string>();
        if (args.Positionals.Count == 2)
        {
            var requested = args.Positionals[1];
            var slash = requested.IndexOf('/', StringComparison.Ordinal);
            var port = slash < 0 ? requested : requested[..slash];
            var proto = slash < 0 ? "tcp" : requested[(slash + 1)..];
            if (!ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new StatusException(ExitCodes.Failure, $"Error: invalid port ({port}): strconv.ParseUint: parsing \"{port}\": invalid syntax");
            }

            if (ports.ValueKind != JsonValueKind.Object || !ports.TryGetProperty(port + "/" + proto, out var frontends) || Bindings(frontends).Count == 0)
            {
                throw new StatusException(ExitCodes.Failure, $"Error: No public port '{requested}' published for {name}");
            }

            lines.AddRange(Bindings(frontends));
        }
        else if (ports.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in ports.EnumerateObject())
            {
                lines.AddRange(Bindings(property.Value).Select(b => property.Name + " -> " + b));
            }
        }

        if (lines.Count > 0)
        {
            lines.Sort(NaturalOrder.Instance);
            await context.Out.WriteLineAsync(string.Join('\n', lines)).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>Each binding as Go's <c>net.JoinHostPort</c> (IPv6 hosts in brackets).</summary>
    private static List<string> Bindings(JsonElement frontends) => frontends.ValueKind != JsonValueKind.Array ? [] : frontends.EnumerateArray()
        .Select(f => JoinHostPort(f.TryGetProperty("HostIp", out var ip) ? ip.GetString() ?? "" : "", f.TryGetProperty("HostPort", out var hp) ? hp.GetString() ?? "" : ""))
        .ToList();

    public static string JoinHostPort(string host, string port) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
}
