using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>A project source over a function: <c>new DelegateComposeProjectSource(() =&gt; project)</c>.</summary>
public sealed class DelegateComposeProjectSource(Func<ComposeProject> load) : IComposeProjectSource
{
    public Task<ComposeProject> LoadAsync(CommandContext context, CancellationToken cancellationToken = default) => Task.FromResult(load());
}
