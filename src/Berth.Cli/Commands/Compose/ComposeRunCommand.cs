using Berth.Cli.Commands.Containers;
using Berth.Cli.Parsing;
using Berth.Compose.Model;
using Berth.Compose.Planning;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose run SERVICE [COMMAND…]</c>: a one-off container of the service (label <c>oneoff=True</c>, name
/// <c>PROJECT_SERVICE_run_HEX</c>, no aliases, no published ports unless <c>--service-ports</c>, no restart policy) after
/// its dependencies are up; attached as <c>berth run</c> is, its exit code returned; <c>--rm</c> removes it afterwards.
/// </summary>
public sealed class ComposeRunCommand(IComposeProjectSource source) : ComposeCommand(source)
{
    public override string Name => "run";

    public override string Arguments => "[OPTIONS] SERVICE [COMMAND] [ARGS...]";

    public override string Description => "Run a one-off command on a service";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    protected override bool InterspersedFlags => false;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("detach", 'd', null, "Run container in background and print container ID"),
        new("entrypoint", null, "string", "Override the entrypoint of the image"),
        new("env", 'e', "stringArray", "Set environment variables"),
        new("name", null, "string", "Assign a name to the container"),
        new("no-TTY", 'T', null, "Disable pseudo-TTY allocation (default: auto-detected)"),
        new("no-deps", null, null, "Don't start linked services"),
        new("rm", null, null, "Automatically remove the container when it exits"),
        new("service-ports", null, null, "Run command with all service's ports enabled and mapped to the host"),
        new("user", 'u', "string", "Run as specified username or uid"),
        new("workdir", 'w', "string", "Working directory inside the container"),
    ];

    protected override async Task<int> RunAsync(CommandContext context, ComposeEngine engine, ComposeProject project, ParsedArgs args, CancellationToken cancellationToken)
    {
        var service = args.Positionals[0];
        var detach = args.IsSet("detach");
        var remove = args.IsSet("rm");
        var (plan, sharedId) = await engine.PrepareOneOffAsync(project, service, args.IsSet("no-deps"), cancellationToken).ConfigureAwait(false);

        var request = plan.CreateRequest(0, oneOff: true, networkModeContainer: sharedId);
        if (args.Positionals.Count > 1)
        {
            request.Cmd = [.. args.Positionals.Skip(1)];
        }

        if (args.Last("entrypoint") is { } entrypoint)
        {
            request.Entrypoint = [.. entrypoint.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }

        if (args.All("env").Count > 0)
        {
            request.Env = [.. request.Env ?? [], .. ContainerCreateOptions.ReadEnv([], args.All("env"), context.Environment)];
        }

        request.User = args.Last("user") ?? request.User;
        request.WorkingDir = args.Last("workdir") ?? request.WorkingDir;
        var hostConfig = request.HostConfig!;
        if (!args.IsSet("service-ports"))
        {
            hostConfig.PortBindings = null;
        }

        hostConfig.RestartPolicy = new Api.Contracts.ContainerRestartPolicy { Name = "no" };
        hostConfig.AutoRemove = remove;

        // compose's defaults: stdin open unless detached, a Tty when stdin is a terminal and -T is not given.
        var interactive = !detach;
        var tty = !detach && !args.IsSet("no-TTY") && context.Console.Terminal.IsInputTerminal;
        request.Tty = tty;
        request.OpenStdin = interactive;
        request.StdinOnce = interactive;
        request.AttachStdin = interactive;
        request.AttachStdout = !detach;
        request.AttachStderr = !detach;

        var name = args.Last("name") ?? ComposeNames.OneOff(project.Name, service);
        var id = await engine.CreateOneOffAsync(plan, name, request, cancellationToken).ConfigureAwait(false);
        Task StartAsync() => context.Client.SendAsync(HttpMethod.Post, ComposeApi.ContainerPath(id, "/start"), cancellationToken: cancellationToken);
        if (detach)
        {
            await StartAsync().ConfigureAwait(false);
            await context.Out.WriteLineAsync(name).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        return await AttachFlow.RunAsync(
            context, id, new AttachFlow.Streams(interactive, Stdout: true, Stderr: true), tty, StartAsync, remove ? "removed" : "next-exit", cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }
}
