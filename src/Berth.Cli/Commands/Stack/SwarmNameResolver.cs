namespace Berth.Cli.Commands.Stack;

/// <summary>
/// docker's <c>idresolver</c>: a service id → its name, a node id → its name or hostname, each asked once; an id that cannot be
/// looked up stays an id (best effort, as docker).
/// </summary>
internal sealed class SwarmNameResolver(StackApi api, bool noResolve)
{
    private readonly Dictionary<string, string> cache = new(StringComparer.Ordinal);

    public Task<string> ServiceAsync(string id, CancellationToken cancellationToken) =>
        ResolveAsync(id, async () => (await api.ServiceAsync(id, cancellationToken).ConfigureAwait(false))?.Spec.Name, cancellationToken);

    public Task<string> NodeAsync(string id, CancellationToken cancellationToken) =>
        ResolveAsync(id, async () =>
        {
            var node = await api.NodeAsync(id, cancellationToken).ConfigureAwait(false);
            return node is null ? null : !string.IsNullOrEmpty(node.Spec.Name) ? node.Spec.Name : node.Description.Hostname;
        }, cancellationToken);

    private async Task<string> ResolveAsync(string id, Func<Task<string?>> lookup, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (noResolve || id.Length == 0)
        {
            return id;
        }

        if (!cache.TryGetValue(id, out var name))
        {
            name = await lookup().ConfigureAwait(false) is { Length: > 0 } found ? found : id;
            cache[id] = name;
        }

        return name;
    }
}
