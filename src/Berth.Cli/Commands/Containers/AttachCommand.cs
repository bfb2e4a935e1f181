using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth attach</c>: a running container's streams (stdin too unless <c>--no-stdin</c>, when it keeps stdin open), until it exits;
/// the exit code is the container's.
/// </summary>
public sealed class AttachCommand(string path) : ContainerCommand(path)
{
    public override string Arguments => "[OPTIONS] CONTAINER";

    public override string Description => "Attach local standard input, output, and error streams to a running container";

    protected override int MinArguments => 1;

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("no-stdin", null, null, "Do not attach STDIN"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var container = await ContainerInspection.GetAsync(context, args.Positionals[0], cancellationToken).ConfigureAwait(false);
        if (!container.Running)
        {
            throw new StatusException(ExitCodes.Failure, "You cannot attach to a stopped container, start it first");
        }

        if (container.Paused)
        {
            throw new StatusException(ExitCodes.Failure, "You cannot attach to a paused container, unpause it first");
        }

        if (container.Restarting)
        {
            throw new StatusException(ExitCodes.Failure, "You cannot attach to a restarting container, wait until it is running");
        }

        var stdin = !args.IsSet("no-stdin") && container.OpenStdin;
        if (container.Tty && stdin && !context.Console.Terminal.IsInputTerminal)
        {
            throw new StatusException(ExitCodes.Failure, "the input device is not a TTY");
        }

        return await AttachFlow.RunAsync(
            context, container.Id, new AttachFlow.Streams(stdin, true, true), container.Tty, start: null, waitCondition: "", cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
