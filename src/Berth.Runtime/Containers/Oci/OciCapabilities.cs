using System.Collections.Immutable;

namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>process.capabilities</c> (Docker sets bounding, effective and permitted).</summary>
public sealed record OciCapabilities(ImmutableArray<string> Bounding, ImmutableArray<string> Effective, ImmutableArray<string> Permitted);
