using Berth.Cli.Parsing;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose start|stop|restart [SERVICE…]</c>: the project's existing containers, in dependency order.</summary>
public sealed class ComposeLifecycleCommand(IComposeProjectSource source, string name) : ComposeCommand(source)
{
    public override string Name { get; } = name is "start" or "stop" or "restart" ? name : throw new ArgumentException("start, stop or restart", nameof(name));

    public override string Arguments => "[OPTIONS] [SERVICE...]";

    public override string Description => Name switch
    {
        "start" => "Start services",
        "stop" => "Stop services",
        _ => "Restart service containers",
    };

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags => Name == "start" ? [] : [new("timeout", 't', "int", "Specify a shutdown timeout in seconds")];

    protected override async Task<int> RunAsync(CommandContext context, ComposeEngine engine, ComposeProject project, ParsedArgs args, CancellationToken cancellationToken)
    {
        var services = args.Positionals;
        var task = Name switch
        {
            "start" => engine.StartAsync(project, services, cancellationToken),
            "stop" => engine.StopAsync(project, services, Timeout(args), cancellationToken),
            _ => engine.RestartAsync(project, services, Timeout(args), cancellationToken),
        };
        await task.ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
