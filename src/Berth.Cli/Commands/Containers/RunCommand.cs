using Berth.Cli.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth run</c>: create (pulling a missing image), then detached (<c>-d</c>: wait, start, print the ID) or attached (attach, wait,
/// start, stream, the container's exit code). Exit codes as docker's: 125 for berth's or the daemon's errors before the container
/// runs, 126/127 when its command cannot be run, else the container's own.
/// </summary>
public sealed class RunCommand(string path) : ContainerCommand(path)
{
    private const int CannotInvokeExitCode = 126;
    private const int CommandNotFoundExitCode = 127;

    public override string Arguments => "[OPTIONS] IMAGE [COMMAND] [ARG...]";

    public override string Description => "Create and run a new container from an image";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    protected override bool InterspersedFlags => false;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("attach", 'a', "list", "Attach to STDIN, STDOUT or STDERR"),
        new("detach", 'd', null, "Run container in background and print container ID"),
        .. ContainerCreateOptions.Flags,
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var detach = args.IsSet("detach");
        var tty = args.IsSet("tty");
        var terminal = context.Console.Terminal;
        AttachFlow.Streams streams;
        byte[] body;
        try
        {
            ContainerCreator.ValidatePull(args);
            streams = SelectStreams(args, detach);
            if (tty && streams.Stdin && !terminal.IsInputTerminal)
            {
                throw new StatusException(ExitCodes.Failure, "the input device is not a TTY");
            }

            var attach = new ContainerCreateOptions.Attach(streams.Stdin, streams.Stdout, streams.Stderr, StdinOnce: streams.Stdin && args.IsSet("interactive"));
            body = ContainerCreateOptions.BuildBody(args, attach, tty && terminal.IsOutputTerminal ? terminal.Size : null, context.Environment);
        }
        catch (ArgumentException e)
        {
            throw RunError(e.Message);
        }

        string id;
        try
        {
            id = await ContainerCreator.CreateAsync(context, args, body, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonErrorException e)
        {
            throw StatusError(e);
        }

        var autoRemove = args.IsSet("rm");
        var condition = autoRemove ? "removed" : "next-exit";
        Task StartAsync() => context.Client.SendAsync(HttpMethod.Post, ContainerPath(id, "/start"), cancellationToken: cancellationToken);
        if (detach)
        {
            // docker sends the wait before start even here, and drops it once started.
            using (await context.Client.SendStreamingAsync(HttpMethod.Post, ContainerPath(id, "/wait?condition=" + condition), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await StartAsync().ConfigureAwait(false);
                }
                catch (DaemonErrorException e)
                {
                    throw StatusError(e);
                }
            }

            await context.Out.WriteLineAsync(id).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        return await AttachFlow.RunAsync(
            context, id, streams, tty, StartAsync, condition,
            async e =>
            {
                if (autoRemove)
                {
                    await WaitForRemovalAsync(context, id, cancellationToken).ConfigureAwait(false);
                }

                return StatusError(e);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>-a</c> picks the streams; without it stdout and stderr, and stdin with <c>-i</c>; none with <c>-d</c>.</summary>
    private static AttachFlow.Streams SelectStreams(ParsedArgs args, bool detach)
    {
        var chosen = args.All("attach").Select(a => a.ToLowerInvariant()).ToList();
        if (detach)
        {
            if (chosen.Count > 0)
            {
                throw new ArgumentException("conflicting options: cannot specify both --attach and --detach");
            }

            return new AttachFlow.Streams(false, false, false);
        }

        if (chosen.FirstOrDefault(a => a is not ("stdin" or "stdout" or "stderr")) is { } bad)
        {
            throw new ArgumentException($"invalid argument \"{bad}\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR");
        }

        return chosen.Count == 0
            ? new AttachFlow.Streams(args.IsSet("interactive"), true, true)
            : new AttachFlow.Streams(chosen.Contains("stdin") || args.IsSet("interactive"), chosen.Contains("stdout"), chosen.Contains("stderr"));
    }

    /// <summary>After a failed start of a <c>--rm</c> container docker waits for its removal before it reports.</summary>
    private static async Task WaitForRemovalAsync(CommandContext context, string id, CancellationToken cancellationToken)
    {
        try
        {
            using var wait = await context.Client.SendStreamingAsync(HttpMethod.Post, ContainerPath(id, "/wait?condition=removed"), cancellationToken: cancellationToken).ConfigureAwait(false);
            await wait.Body.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonErrorException)
        {
            // Already gone.
        }
    }

    private StatusException RunError(string message) =>
        new(ExitCodes.CliError, $"berth: {message}\n\nRun '{Path} --help' for more information");

    /// <summary>
    /// docker's toStatusError. The daemon's message is the only signal docker has for "command not found" vs "not executable"
    /// (the API gives both as 400/500), so this matches its text as docker does.
    /// </summary>
    private StatusException StatusError(DaemonErrorException e)
    {
        var message = "Error response from daemon: " + e.Message;
        var code = message.Contains("executable file not found", StringComparison.Ordinal) || message.Contains("no such file or directory", StringComparison.Ordinal)
            ? CommandNotFoundExitCode
            : message.Contains("permission denied", StringComparison.Ordinal) || message.Contains("is a directory", StringComparison.Ordinal)
                ? CannotInvokeExitCode
                : ExitCodes.CliError;
        return new StatusException(code, $"berth: {message}\n\nRun '{Path} --help' for more information");
    }
}
