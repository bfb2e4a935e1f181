using Berth.Cli.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary><c>berth wait</c>: <c>POST /containers/{c}/wait</c> for each, printing each exit code.</summary>
public sealed class WaitCommand(string path) : ContainerCommand(path)
{
    public override string Arguments => "CONTAINER [CONTAINER...]";

    public override string Description => "Block until one or more containers stop, then print their exit codes";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } = [];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var name in args.Positionals)
        {
            try
            {
                using var wait = await context.Client.SendStreamingAsync(HttpMethod.Post, ContainerPath(name, "/wait"), cancellationToken: cancellationToken).ConfigureAwait(false);
                var code = await AttachFlow.ReadExitCodeAsync(context, wait.Body, cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(code.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
            }
            catch (DaemonErrorException e)
            {
                errors.Add("Error response from daemon: " + e.Message);
            }
        }

        foreach (var error in errors)
        {
            await context.Err.WriteLineAsync(error).ConfigureAwait(false);
        }

        return errors.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
