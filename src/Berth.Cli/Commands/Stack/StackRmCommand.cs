using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Stack;

/// <summary><c>berth stack rm STACK…</c> (<c>remove</c>, <c>down</c>): each stack's services, secrets, configs and networks, as docker removes them.</summary>
public sealed class StackRmCommand : CliCommand
{
    public override string Path => "berth stack rm";

    public override string Arguments => "[OPTIONS] STACK [STACK...]";

    public override string Description => "Remove one or more stacks";

    public override IReadOnlyList<string> Aliases => ["berth stack rm", "berth stack remove", "berth stack down"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("detach", 'd', null, "Do not wait for stack removal (default true)"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        foreach (var stack in args.Positionals)
        {
            StackNames.Validate(stack);
        }

        var api = new StackApi(context.Client);
        var failedStacks = new List<string>();
        foreach (var stack in args.Positionals)
        {
            if (await StackRemover.RemoveStackAsync(api, stack, context.Out, context.Err, cancellationToken).ConfigureAwait(false))
            {
                failedStacks.Add(stack);
            }
        }

        return failedStacks.Count == 0
            ? ExitCodes.Success
            : throw new StatusException(ExitCodes.Failure, string.Join("\n", failedStacks.Select(s => "failed to remove some resources from stack: " + s)));
    }
}
