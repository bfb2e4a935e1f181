using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary><c>berth create</c>: the same body as run would send attached (docker records stdout/stderr as attached), prints the ID.</summary>
public sealed class CreateCommand(string path) : ContainerCommand(path)
{
    public override string Arguments => "[OPTIONS] IMAGE [COMMAND] [ARG...]";

    public override string Description => "Create a new container";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    protected override bool InterspersedFlags => false;

    public override IReadOnlyList<FlagSpec> Flags => ContainerCreateOptions.Flags;

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            ContainerCreator.ValidatePull(args);
            var terminal = context.Console.Terminal;
            var attach = new ContainerCreateOptions.Attach(args.IsSet("interactive"), Stdout: true, Stderr: true, StdinOnce: false);
            body = ContainerCreateOptions.BuildBody(args, attach, args.IsSet("tty") && terminal.IsOutputTerminal ? terminal.Size : null, context.Environment);
        }
        catch (ArgumentException e)
        {
            throw new StatusException(ExitCodes.CliError, $"berth: {e.Message}\n\nRun '{Path} --help' for more information");
        }

        var id = await ContainerCreator.CreateAsync(context, args, body, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(id).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
