using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Streams;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth exec</c>: check the container exists, <c>POST /containers/{c}/exec</c>, then <c>POST /exec/{id}/start</c> — hijacked
/// (101) and streamed, or with <c>-d</c> a plain request — and the exit code from <c>GET /exec/{id}/json</c>.
/// </summary>
public sealed class ExecCommand(string path) : ContainerCommand(path)
{
    public override string Arguments => "[OPTIONS] CONTAINER COMMAND [ARG...]";

    public override string Description => "Execute a command in a running container";

    protected override int MinArguments => 2;

    protected override int MaxArguments => int.MaxValue;

    protected override bool InterspersedFlags => false;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("detach", 'd', null, "Detached mode: run command in the background"),
        new("env", 'e', "list", "Set environment variables"),
        new("env-file", null, "list", "Read in a file of environment variables"),
        new("interactive", 'i', null, "Keep STDIN open even if not attached"),
        new("privileged", null, null, "Give extended privileges to the command"),
        new("tty", 't', null, "Allocate a pseudo-TTY"),
        new("user", 'u', "string", "Username or UID (format: \"<name|uid>[:<group|gid>]\")"),
        new("workdir", 'w', "string", "Working directory inside the container"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var container = args.Positionals[0];
        var detach = args.IsSet("detach");
        var tty = args.IsSet("tty");
        var interactive = args.IsSet("interactive");
        var terminal = context.Console.Terminal;
        List<string> env;
        try
        {
            env = ContainerCreateOptions.ReadEnv(args.All("env-file"), args.All("env"), context.Environment);
        }
        catch (ArgumentException e)
        {
            throw new StatusException(ExitCodes.CliError, $"berth: {e.Message}\n\nRun '{Path} --help' for more information");
        }

        _ = await ContainerInspection.GetAsync(context, container, cancellationToken).ConfigureAwait(false);
        if (!detach && tty && interactive && !terminal.IsInputTerminal)
        {
            throw new StatusException(ExitCodes.Failure, "the input device is not a TTY");
        }

        var body = new GoJsonWriter().BeginObject()
            .Name("User").String(args.Last("user") ?? "")
            .Name("Privileged").Bool(args.IsSet("privileged"))
            .Name("Tty").Bool(tty)
            .Name("AttachStdin").Bool(interactive && !detach)
            .Name("AttachStderr").Bool(!detach)
            .Name("AttachStdout").Bool(!detach)
            .Name("Detach").Bool(detach)
            .Name("DetachKeys").String("")
            .Name("Env").Strings(env.Count > 0 ? env : null)
            .Name("WorkingDir").String(args.Last("workdir") ?? "")
            .Name("Cmd").Strings(args.Positionals.Skip(1).ToList());
        if (tty && terminal.IsOutputTerminal && terminal.Size is var (rows, columns))
        {
            body.Name("ConsoleSize").BeginArray().Number(rows).Number(columns).EndArray();
        }

        var created = await context.Client.SendAsync(HttpMethod.Post, ContainerPath(container, "/exec"), body.EndObject().ToUtf8(), cancellationToken).ConfigureAwait(false);
        string execId;
        using (var document = JsonDocument.Parse(created.Body))
        {
            execId = document.RootElement.GetProperty("Id").GetString() ?? "";
        }

        var execPath = "/exec/" + Uri.EscapeDataString(execId);
        var startBody = new GoJsonWriter().BeginObject().Name("Detach").Bool(detach).Name("Tty").Bool(tty).EndObject().ToUtf8();
        if (detach)
        {
            await context.Client.SendAsync(HttpMethod.Post, execPath + "/start", startBody, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        using (var connection = await context.Client.HijackAsync(execPath + "/start", startBody, cancellationToken).ConfigureAwait(false))
        {
            using var resize = tty && terminal.IsOutputTerminal ? AttachFlow.WatchSize(context, execPath + "/resize", cancellationToken) : null;
            using var raw = tty && interactive && terminal.IsInputTerminal ? terminal.MakeInputRaw() : null;
            await AttachedSession.RunAsync(connection, context.Console, tty, interactive, cancellationToken).ConfigureAwait(false);
        }

        var inspect = await context.Client.SendAsync(HttpMethod.Get, execPath + "/json", cancellationToken: cancellationToken).ConfigureAwait(false);
        using var result = JsonDocument.Parse(inspect.Body);
        return result.RootElement.TryGetProperty("ExitCode", out var code) && code.TryGetInt32(out var exitCode) ? exitCode : ExitCodes.Success;
    }
}
