using Berth.Linux.Namespaces;
using Berth.Linux.Nftables;

namespace Berth.Linux.IntegrationTests.Nftables;

/// <summary>
/// Creates an <see cref="NftablesContext"/> in a brand-new network namespace, so a test never sees or touches the
/// machine's ruleset. The runner's worker unshares, creates the context (whose netlink socket stays bound to that
/// netns) and returns home; disposing the context drops the last reference and the netns goes away.
/// </summary>
internal static class IsolatedNftables
{
    public static NftablesContext Create(NamespaceRunner runner) => runner.RunInNewNamespace(() => new NftablesContext());
}
