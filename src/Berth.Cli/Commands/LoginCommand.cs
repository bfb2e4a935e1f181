using Berth.Cli.Client;
using Berth.Cli.Parsing;
using Berth.Cli.Registry;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth login [-u USER] [-p PASS | --password-stdin] [SERVER]</c>: berthd asks the registry (<c>POST /auth</c>), and
/// what it took is written to docker's config file, where <c>docker</c> finds it too. Missing user or password are read
/// from standard input, one line each.
/// </summary>
public sealed class LoginCommand : CliCommand
{
    public override string Path => "berth login";

    public override string Arguments => "[OPTIONS] [SERVER]";

    public override string Description => "Authenticate to a registry";

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("password", 'p', "string", "Password or Personal Access Token (PAT)"),
        new("password-stdin", null, null, "Take the Password or Personal Access Token (PAT) from stdin"),
        new("username", 'u', "string", "Username"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        string server = args.Positionals.Count > 0 ? args.Positionals[0] : DockerConfigFile.DockerHubServer;
        string domain = RegistryDomain(server);
        string? user = args.Last("username");
        string? password = args.Last("password");
        if (args.IsSet("password-stdin"))
        {
            if (password is not null)
            {
                throw new StatusException(ExitCodes.Failure, "conflicting options: cannot specify both --password and --password-stdin");
            }

            if (user is null)
            {
                throw new StatusException(ExitCodes.Failure, "the --password-stdin option requires --username to be set");
            }

            password = (await context.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).TrimEnd('\n', '\r');
        }
        else if (password is not null)
        {
            await context.Err.WriteLineAsync("WARNING! Using --password via the CLI is insecure. Use --password-stdin.").ConfigureAwait(false);
        }

        if (string.IsNullOrEmpty(user))
        {
            await context.Out.WriteAsync("Username: ").ConfigureAwait(false);
            user = (await context.In.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
            if (string.IsNullOrEmpty(user))
            {
                throw new StatusException(ExitCodes.Failure, "Error: Non-null Username Required");
            }
        }

        if (string.IsNullOrEmpty(password))
        {
            await context.Out.WriteAsync("Password: ").ConfigureAwait(false);
            password = await context.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(password))
            {
                throw new StatusException(ExitCodes.Failure, "Error: Password Required");
            }
        }

        var config = DockerConfigFile.Load(context.Environment);
        try
        {
            await context.Client.SendAsync(HttpMethod.Post, "/auth", RegistryAuthHeader.AuthConfigJson(user, password, DockerConfigFile.ServerKey(domain)), cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonErrorException e)
        {
            throw new StatusException(ExitCodes.Failure, "Error response from daemon: " + e.Message);
        }

        config.Store(domain, user, password);
        config.Save();
        await context.Err.WriteAsync($"\nWARNING! Your credentials are stored unencrypted in '{config.Path}'.\n" +
            "Configure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n").ConfigureAwait(false);
        await context.Out.WriteLineAsync("Login Succeeded").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary><c>https://host:5000/v1/</c>, <c>host:5000</c> → <c>host:5000</c>; Docker Hub's names → <c>docker.io</c>.</summary>
    internal static string RegistryDomain(string server)
    {
        string host = DockerConfigFile.Hostname(server.Trim()).ToLowerInvariant();
        return host is "index.docker.io" or "registry-1.docker.io" ? "docker.io" : host;
    }
}
