using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary><c>ENV a=b c=d</c> or the legacy <c>ENV a b c</c> (one variable, the rest of the line its value).</summary>
public sealed record EnvInstruction(SourceRange Lines, string Code, ImmutableArray<KeyValue> Variables) : Instruction(Lines, Code)
{
    public override string Keyword => "ENV";
}
