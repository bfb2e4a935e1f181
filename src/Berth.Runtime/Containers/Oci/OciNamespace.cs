namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux.namespaces[]</c>: a new namespace, or the one at <see cref="Path"/>.</summary>
public sealed record OciNamespace(string Type, string? Path = null);
