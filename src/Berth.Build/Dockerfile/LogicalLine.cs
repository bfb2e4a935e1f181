using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary>One instruction's text: continuation lines joined, comments inside it dropped, heredoc bodies attached.</summary>
internal sealed record LogicalLine(string Text, SourceRange Lines, ImmutableArray<Heredoc> Heredocs);
