using Berth.Compose.Loading;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>A <c>berth compose</c> subcommand: it knows the compose-level flags and loads the project with them.</summary>
public abstract class ComposeCommand(ComposeOptions options) : CliCommand
{
    /// <summary>The word after <c>berth compose</c>: "config", "up", …</summary>
    public abstract string Name { get; }

    public override string Path => "berth compose " + Name;

    protected ComposeOptions Options { get; } = options;

    /// <summary>The project, validated whole; a <see cref="ComposeFileException"/> lists every problem of the files.</summary>
    protected ComposeProject LoadProject(CommandContext context) => ComposeLoader.Load(Options.ToLoadOptions(context));
}
