using Berth.Cli.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth start</c>: <c>POST /containers/{c}/start</c> for each, printing each name; with <c>-a</c> (one container) attach first
/// (stdin with <c>-i</c> if the container keeps it open), wait, start, stream, and exit with the container's code.
/// </summary>
public sealed class StartCommand(string path) : ContainerCommand(path)
{
    public override string Arguments => "[OPTIONS] CONTAINER [CONTAINER...]";

    public override string Description => "Start one or more stopped containers";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("attach", 'a', null, "Attach STDOUT/STDERR and forward signals"),
        new("interactive", 'i', null, "Attach container's STDIN"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.IsSet("attach") || args.IsSet("interactive"))
        {
            if (args.Positionals.Count > 1)
            {
                throw new StatusException(ExitCodes.Failure, "you cannot start and attach multiple containers at once");
            }

            var container = await ContainerInspection.GetAsync(context, args.Positionals[0], cancellationToken).ConfigureAwait(false);
            var stdin = args.IsSet("interactive") && container.OpenStdin;
            if (container.Tty && stdin && !context.Console.Terminal.IsInputTerminal)
            {
                throw new StatusException(ExitCodes.Failure, "the input device is not a TTY");
            }

            return await AttachFlow.RunAsync(
                context,
                container.Id,
                new AttachFlow.Streams(stdin, true, true),
                container.Tty,
                () => context.Client.SendAsync(HttpMethod.Post, ContainerPath(container.Id, "/start"), cancellationToken: cancellationToken),
                container.AutoRemove ? "removed" : "next-exit",
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var failed = new List<string>();
        foreach (var name in args.Positionals)
        {
            try
            {
                await context.Client.SendAsync(HttpMethod.Post, ContainerPath(name, "/start"), cancellationToken: cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(name).ConfigureAwait(false);
            }
            catch (DaemonErrorException e)
            {
                await context.Err.WriteLineAsync("Error response from daemon: " + e.Message).ConfigureAwait(false);
                failed.Add(name);
            }
        }

        if (failed.Count == 0)
        {
            return ExitCodes.Success;
        }

        throw new StatusException(ExitCodes.Failure, "Error: failed to start containers: " + string.Join(", ", failed));
    }
}
