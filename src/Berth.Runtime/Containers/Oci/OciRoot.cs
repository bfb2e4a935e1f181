namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>root</c>.</summary>
public sealed record OciRoot(string Path, bool Readonly);
