namespace Berth.Cli.Commands.Compose;

/// <summary>
/// The engine's <c>berth compose</c> subcommands (build, up, down, ps, logs, exec, run, start, stop, restart, pull), for the
/// <c>compose</c> command group to offer beside <c>config</c>; all load the project from <paramref name="source"/>.
/// </summary>
public static class ComposeEngineCommands
{
    public static IReadOnlyList<ComposeCommand> Create(IComposeProjectSource source) =>
    [
        new ComposeBuildCommand(source),
        new ComposeDownCommand(source),
        new ComposeExecCommand(source),
        new ComposeLogsCommand(source),
        new ComposePsCommand(source),
        new ComposePullCommand(source),
        new ComposeLifecycleCommand(source, "restart"),
        new ComposeRunCommand(source),
        new ComposeLifecycleCommand(source, "start"),
        new ComposeLifecycleCommand(source, "stop"),
        new ComposeUpCommand(source),
    ];

    /// <summary>The subcommand named <paramref name="name"/>, or null.</summary>
    public static ComposeCommand? Find(IComposeProjectSource source, string name) => Create(source).FirstOrDefault(c => c.Name == name);
}
