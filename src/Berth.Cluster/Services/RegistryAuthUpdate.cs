namespace Berth.Cluster.Services;

/// <summary>
/// What a service create or update does with the registry credentials its tasks pull with (moby's
/// <c>X-Registry-Auth</c> and <c>registryAuthFrom</c>): <paramref name="Encoded"/>, the header as the client sent it,
/// replaces them; without it an update keeps the current spec's, or with <paramref name="FromPreviousSpec"/> the
/// previous spec's.
/// </summary>
public sealed record RegistryAuthUpdate(string? Encoded, bool FromPreviousSpec = false)
{
    /// <summary>Never prints the credentials.</summary>
    public override string ToString() => $"RegistryAuthUpdate {{ Given = {!string.IsNullOrEmpty(Encoded)}, FromPreviousSpec = {FromPreviousSpec} }}";
}
