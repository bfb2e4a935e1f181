using Berth.Compose.Loading;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>The project from the compose files named by <c>berth compose</c>'s flags (<c>-f</c>, <c>-p</c>, <c>--profile</c>, …).</summary>
public sealed class LoaderProjectSource(ComposeOptions options) : IComposeProjectSource
{
    public Task<ComposeProject> LoadAsync(CommandContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ComposeLoader.Load(options.ToLoadOptions(context)));
}
