namespace Berth.Runtime.Build;

/// <summary>
/// The network a <c>RUN</c> step's container gets (<c>docker build --network</c>): <see cref="None"/> (a fresh namespace
/// with only loopback), <see cref="Host"/> (the host's), or a namespace the caller made and attached — the default
/// bridge's endpoint, say — given by its path (a bind-mounted nsfs file).
/// </summary>
public sealed record BuildNetwork
{
    private BuildNetwork(bool host, string? namespacePath)
    {
        IsHost = host;
        NamespacePath = namespacePath;
    }

    public static BuildNetwork None { get; } = new(false, null);

    public static BuildNetwork Host { get; } = new(true, null);

    public bool IsHost { get; }

    /// <summary>The network namespace to join; null with <see cref="IsHost"/> false is a new, empty one.</summary>
    public string? NamespacePath { get; }

    public static BuildNetwork Namespace(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new BuildNetwork(false, path);
    }
}
