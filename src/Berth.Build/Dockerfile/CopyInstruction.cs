using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary><c>COPY [--from=stage|index|image] [--chown=u:g] [--chmod=m] [--link] src… dest</c>; heredoc sources are in <see cref="Contents"/>.</summary>
public sealed record CopyInstruction(SourceRange Lines, string Code, ImmutableArray<string> Sources, ImmutableArray<Heredoc> Contents, string Destination, string? From, string? Chown, string? Chmod, bool Link) : Instruction(Lines, Code)
{
    public override string Keyword => "COPY";
}
