using System.Collections.Immutable;

namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>mounts[]</c>.</summary>
public sealed record OciMount(string Destination, string Type, string Source, ImmutableArray<string> Options);
