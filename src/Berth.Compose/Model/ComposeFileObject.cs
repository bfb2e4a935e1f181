using System.Collections.Immutable;

namespace Berth.Compose.Model;

/// <summary>A top-level <c>secrets:</c> or <c>configs:</c> entry (read for stacks only).</summary>
public sealed record ComposeFileObject
{
    /// <summary>The key in the file.</summary>
    public required string Key { get; init; }

    /// <summary><c>name:</c>, or <c>external.name</c>; null: the stack names it <c>STACK_KEY</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>file:</c> made absolute against the project directory; null for an external one.</summary>
    public string? File { get; init; }

    /// <summary>Made elsewhere (<c>docker secret create</c>): never created by the stack.</summary>
    public bool External { get; init; }

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
}
