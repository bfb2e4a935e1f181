using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary><c>EXPOSE 80 443/tcp</c>; ports sorted as Docker sorts them, each may expand to several words.</summary>
public sealed record ExposeInstruction(SourceRange Lines, string Code, ImmutableArray<string> Ports) : Instruction(Lines, Code)
{
    public override string Keyword => "EXPOSE";
}
