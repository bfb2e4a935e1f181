using System.Collections.Immutable;

namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>process.user</c>: numeric ids only, names are resolved before.</summary>
public sealed record OciUser(uint Uid, uint Gid, ImmutableArray<uint>? AdditionalGids = null);
