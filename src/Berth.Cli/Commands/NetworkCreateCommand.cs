using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth network create</c>: the request docker's CLI 28 sends for the same flags, then prints the Id.</summary>
public sealed class NetworkCreateCommand : CliCommand
{
    public override string Path => "berth network create";

    public override string Arguments => "[OPTIONS] NETWORK";

    public override string Description => "Create a network";

    protected override int MinArguments => 1;

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("attachable", null, null, "Enable manual container attachment"),
        new("aux-address", null, "map", "Auxiliary IPv4 or IPv6 addresses used by Network driver"),
        new("config-from", null, "string", "The network from which to copy the configuration"),
        new("config-only", null, null, "Create a configuration only network"),
        new("driver", 'd', "string", "Driver to manage the Network (default \"bridge\")"),
        new("gateway", null, "strings", "IPv4 or IPv6 Gateway for the master subnet"),
        new("host-address", null, "string", "macvlan: the host's address on a shim of its own on the parent, to reach the containers (sends -o berth.macvlan.host_address)"),
        new("ingress", null, null, "Create swarm routing-mesh network"),
        new("internal", null, null, "Restrict external access to the network"),
        new("ip-range", null, "strings", "Allocate container ip from a sub-range"),
        new("ipam-driver", null, "string", "IP Address Management Driver (default \"default\")"),
        new("ipam-opt", null, "map", "Set IPAM driver specific options"),
        new("ipv6", null, null, "Enable or disable IPv6 networking"),
        new("label", null, "list", "Set metadata on a network"),
        new("opt", 'o', "map", "Set driver specific options"),
        new("scope", null, "string", "Control the network's scope"),
        new("subnet", null, "strings", "Subnet in CIDR format that represents a network segment"),
    ];

    /// <summary>Builds the request body; throws <see cref="ArgumentException"/> with docker's wording for bad IPAM flags.</summary>
    public static NetworkCreateClientRequest BuildRequest(ParsedArgs args) => new()
    {
        Name = args.Positionals[0],
        Driver = args.Last("driver") ?? "bridge",
        Scope = args.Last("scope") ?? "",
        EnableIPv6 = args.Has("ipv6") ? args.IsSet("ipv6") : null,
        Ipam = new Ipam
        {
            Driver = args.Last("ipam-driver") ?? "default",
            Options = KeyValueArguments.ToMap(args.All("ipam-opt")),
            Config = IpamConsolidator.Consolidate(
                args.All("subnet"), args.All("ip-range"), args.All("gateway"), args.All("aux-address").Select(KeyValueArguments.Split).ToList()),
        },
        Internal = args.IsSet("internal"),
        Attachable = args.IsSet("attachable"),
        Ingress = args.IsSet("ingress"),
        ConfigOnly = args.IsSet("config-only"),
        ConfigFrom = args.Last("config-from") is { } from ? new ConfigReference { Network = from } : null,
        Options = WithHostAddress(KeyValueArguments.ToMap(args.All("opt")), args.Last("host-address")),
        Labels = KeyValueArguments.ToMap(args.All("label")),
    };

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(BuildRequest(args), CliJsonContext.Default.NetworkCreateClientRequest);
        var response = await context.Client.SendAsync(HttpMethod.Post, "/networks/create", body, cancellationToken).ConfigureAwait(false);
        var created = JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.NetworkCreateResponse);
        if (!string.IsNullOrEmpty(created?.Warning))
        {
            await context.Err.WriteLineAsync(created.Warning).ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync(created?.Id).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary><c>--host-address IP</c> is shorthand for <c>-o berth.macvlan.host_address=IP</c>.</summary>
    private static Dictionary<string, string> WithHostAddress(Dictionary<string, string> options, string? hostAddress)
    {
        if (hostAddress is not null)
        {
            options["berth.macvlan.host_address"] = hostAddress;
        }

        return options;
    }
}
