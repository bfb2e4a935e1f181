using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary><c>LABEL a=b …</c>.</summary>
public sealed record LabelInstruction(SourceRange Lines, string Code, ImmutableArray<KeyValue> Labels) : Instruction(Lines, Code)
{
    public override string Keyword => "LABEL";
}
