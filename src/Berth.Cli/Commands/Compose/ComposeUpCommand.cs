using System.Runtime.InteropServices;
using Berth.Cli.Parsing;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose up [SERVICE…]</c>: networks, images and containers converged, dependencies first; detached (<c>-d</c>),
/// until everything is running and healthy (<c>--wait</c>), or attached: every container's output under a coloured
/// prefix until they all exit, Ctrl-C stopping them.
/// </summary>
public sealed class ComposeUpCommand(IComposeProjectSource source) : ComposeCommand(source)
{
    public override string Name => "up";

    public override string Arguments => "[OPTIONS] [SERVICE...]";

    public override string Description => "Create and start containers";

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("build", null, null, "Build images before starting containers."),
        new("detach", 'd', null, "Detached mode: Run containers in the background"),
        new("force-recreate", null, null, "Recreate containers even if their configuration and image haven't changed"),
        new("no-build", null, null, "Don't build an image, even if it's missing."),
        new("no-color", null, null, "Produce monochrome output"),
        new("no-deps", null, null, "Don't start linked services"),
        new("remove-orphans", null, null, "Remove containers for services not defined in the Compose file"),
        new("wait", null, null, "Wait for services to be running|healthy. Implies detached mode"),
    ];

    protected override async Task<int> RunAsync(CommandContext context, ComposeEngine engine, ComposeProject project, ParsedArgs args, CancellationToken cancellationToken)
    {
        var wait = args.IsSet("wait");
        var detach = wait || args.IsSet("detach");
        if (args.IsSet("build") && args.IsSet("no-build"))
        {
            throw new StatusException(ExitCodes.Failure, "--build and --no-build are incompatible; use one of them");
        }

        var options = new UpOptions(args.Positionals)
        {
            Build = args.IsSet("build") ? BuildPolicy.Always : args.IsSet("no-build") ? BuildPolicy.Never : BuildPolicy.Missing,
            RemoveOrphans = args.IsSet("remove-orphans"),
            ForceRecreate = args.IsSet("force-recreate"),
            NoDeps = args.IsSet("no-deps"),
        };

        // The first Ctrl-C stops gracefully; a second one is left to kill the process.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var interrupts = 0;
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            if (Interlocked.Increment(ref interrupts) == 1)
            {
                signal.Cancel = true;
                stop.Cancel();
            }
        });

        var since = DateTimeOffset.UtcNow;
        try
        {
            var (_, containers) = await engine.UpAsync(project, options, stop.Token).ConfigureAwait(false);
            if (wait)
            {
                await engine.WaitReadyAsync(project, containers, stop.Token).ConfigureAwait(false);
            }

            if (detach)
            {
                return ExitCodes.Success;
            }

            var color = !args.IsSet("no-color") && context.Console.Terminal.IsOutputTerminal;
            return await engine.AttachAsync(project, containers, since, color, stop.Token, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await context.Err.WriteLineAsync("Aborting.").ConfigureAwait(false);
            return ComposeEngine.InterruptedExitCode;
        }
    }
}
