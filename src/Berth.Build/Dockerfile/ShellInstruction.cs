using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary><c>SHELL ["executable", "parameters"]</c> (exec form only).</summary>
public sealed record ShellInstruction(SourceRange Lines, string Code, ImmutableArray<string> Shell) : Instruction(Lines, Code)
{
    public override string Keyword => "SHELL";
}
