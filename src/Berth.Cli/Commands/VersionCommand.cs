using System.Text;
using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth version</c>: Client and Server sections laid out like <c>docker version</c>.</summary>
public sealed class VersionCommand : CliCommand
{
    public const string ClientVersion = "0.1.0";

    public override string Path => "berth version";

    public override string Arguments => "[OPTIONS]";

    public override string Description => "Show the Berth version information";

    public override IReadOnlyList<FlagSpec> Flags { get; } = [];

    public static string ClientSection() =>
        "Client:\n" +
        $" Version:           {ClientVersion}\n" +
        $" API version:       {DaemonClient.ApiVersion}\n" +
        $" .NET version:      {Environment.Version}\n" +
        $" OS/Arch:           linux/{ArchName()}\n";

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        await context.Out.WriteAsync(ClientSection() + "\n").ConfigureAwait(false);
        var response = await context.Client.SendAsync(HttpMethod.Get, "/version", cancellationToken: cancellationToken).ConfigureAwait(false);
        var version = JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.VersionResponse) ?? new VersionResponse();
        await context.Out.WriteAsync(ServerSection(version)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    public static string ServerSection(VersionResponse version)
    {
        var text = new StringBuilder("Server:");
        text.Append(version.Platform.Name.Length > 0 ? " " + version.Platform.Name : "").Append('\n');
        text.Append(" Engine:\n")
            .Append($"  Version:          {version.Version}\n")
            .Append($"  API version:      {version.ApiVersion} (minimum version {version.MinAPIVersion})\n")
            .Append($"  Go version:       {version.GoVersion}\n")
            .Append($"  Git commit:       {version.GitCommit}\n")
            .Append($"  Built:            {version.BuildTime}\n")
            .Append($"  OS/Arch:          {version.Os}/{version.Arch}\n");
        foreach (var component in version.Components.Where(c => c.Name != "Engine"))
        {
            text.Append(' ').Append(component.Name).Append(":\n").Append($"  Version:          {component.Version}\n");
            foreach (var (key, value) in component.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                text.Append("  ").Append((key + ":").PadRight(18)).Append(value).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string ArchName() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };
}
