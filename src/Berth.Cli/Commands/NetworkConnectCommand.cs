using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth network connect [--alias A] [--ip IP] [--ip6 IP] [--link C:ALIAS] NETWORK CONTAINER</c>: docker's
/// <c>POST /networks/{id}/connect</c>; prints nothing on success, the daemon's error otherwise.
/// </summary>
public sealed class NetworkConnectCommand : CliCommand
{
    public override string Path => "berth network connect";

    public override string Arguments => "[OPTIONS] NETWORK CONTAINER";

    public override string Description => "Connect a container to a network";

    protected override int MinArguments => 2;

    protected override int MaxArguments => 2;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("alias", null, "strings", "Add network-scoped alias for the container"),
        new("driver-opt", null, "strings", "driver options for the network"),
        new("ip", null, "string", "IPv4 address (e.g., \"172.30.100.104\")"),
        new("ip6", null, "string", "IPv6 address (e.g., \"2001:db8::33\")"),
        new("link", null, "list", "Add link to another container"),
        new("link-local-ip", null, "strings", "Add a link-local address for the container"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        string ipv4 = args.Last("ip") ?? "";
        string ipv6 = args.Last("ip6") ?? "";
        var request = new NetworkConnectRequest
        {
            Container = args.Positionals[1],
            EndpointConfig = new EndpointSettings
            {
                IPAMConfig = ipv4.Length == 0 && ipv6.Length == 0 ? null : new EndpointIpamConfig { IPv4Address = ipv4, IPv6Address = ipv6 },
                Aliases = args.All("alias") is { Count: > 0 } aliases ? [.. aliases.SelectMany(a => a.Split(','))] : null,
                Links = args.All("link") is { Count: > 0 } links ? [.. links] : null,
            },
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(request, DockerJsonContext.Default.NetworkConnectRequest);
        await context.Client.SendAsync(HttpMethod.Post, $"/networks/{Uri.EscapeDataString(args.Positionals[0])}/connect", body, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
