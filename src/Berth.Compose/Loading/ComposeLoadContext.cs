using System.Collections.Immutable;

namespace Berth.Compose.Loading;

/// <summary>What binding needs besides the tree: the project's name and directory, enabled profiles, and the variables.</summary>
internal sealed record ComposeLoadContext(
    string ProjectName,
    string WorkingDirectory,
    ImmutableArray<string> ConfigFiles,
    IReadOnlySet<string> Profiles,
    Func<string, string?> Lookup,
    bool Stack = false);
