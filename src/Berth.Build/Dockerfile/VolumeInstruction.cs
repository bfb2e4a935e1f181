using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary><c>VOLUME /a /b</c> or <c>VOLUME ["/a", "/b"]</c>.</summary>
public sealed record VolumeInstruction(SourceRange Lines, string Code, ImmutableArray<string> Paths) : Instruction(Lines, Code)
{
    public override string Keyword => "VOLUME";
}
