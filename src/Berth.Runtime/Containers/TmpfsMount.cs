using System.Collections.Immutable;

namespace Berth.Runtime.Containers;

/// <summary>A tmpfs at <see cref="Destination"/> (<c>--tmpfs PATH[:OPTIONS]</c>, <c>--mount type=tmpfs</c>), with mount(8) options such as <c>size=64m</c>, <c>mode=1777</c>.</summary>
public sealed record TmpfsMount(string Destination, ImmutableArray<string> Options);
