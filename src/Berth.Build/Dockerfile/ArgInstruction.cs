using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary><c>ARG name[=default] …</c>.</summary>
public sealed record ArgInstruction(SourceRange Lines, string Code, ImmutableArray<ArgDefinition> Arguments) : Instruction(Lines, Code)
{
    public override string Keyword => "ARG";
}
