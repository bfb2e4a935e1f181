using Berth.Cli.Parsing;
using Berth.Cli.Registry;

namespace Berth.Cli.Commands;

/// <summary><c>berth logout [SERVER]</c>: the registry's credentials leave docker's config file (berthd keeps none); docker's message either way.</summary>
public sealed class LogoutCommand : CliCommand
{
    public override string Path => "berth logout";

    public override string Arguments => "[SERVER]";

    public override string Description => "Log out from a registry";

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } = [];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        string server = args.Positionals.Count > 0 ? args.Positionals[0] : DockerConfigFile.DockerHubServer;
        string domain = LoginCommand.RegistryDomain(server);
        string shown = DockerConfigFile.ServerKey(domain);
        // docker 28 says so whether or not it held any (an erase of nothing is no error to it).
        await context.Out.WriteLineAsync($"Removing login credentials for {shown}").ConfigureAwait(false);
        var config = DockerConfigFile.Load(context.Environment);
        if (config.Remove(domain))
        {
            config.Save();
        }

        return ExitCodes.Success;
    }
}
