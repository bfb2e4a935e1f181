using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth network disconnect [-f] NETWORK CONTAINER</c>: docker's <c>POST /networks/{id}/disconnect</c>.</summary>
public sealed class NetworkDisconnectCommand : CliCommand
{
    public override string Path => "berth network disconnect";

    public override string Arguments => "[OPTIONS] NETWORK CONTAINER";

    public override string Description => "Disconnect a container from a network";

    protected override int MinArguments => 2;

    protected override int MaxArguments => 2;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("force", 'f', null, "Force the container to disconnect from a network"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var request = new NetworkDisconnectRequest { Container = args.Positionals[1], Force = args.IsSet("force") };
        var body = JsonSerializer.SerializeToUtf8Bytes(request, DockerJsonContext.Default.NetworkDisconnectRequest);
        await context.Client.SendAsync(HttpMethod.Post, $"/networks/{Uri.EscapeDataString(args.Positionals[0])}/disconnect", body, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
