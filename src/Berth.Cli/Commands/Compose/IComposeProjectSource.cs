using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// Where the compose commands get their project: the loader (files, <c>-f</c>, <c>-p</c>, <c>.env</c>) behind
/// <c>berth compose</c>'s global flags, or a project built in code (tests).
/// </summary>
public interface IComposeProjectSource
{
    Task<ComposeProject> LoadAsync(CommandContext context, CancellationToken cancellationToken = default);
}
