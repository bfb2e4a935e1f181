namespace Berth.Build.Dockerfile;

/// <summary><c>FROM [--platform=p] image [AS name]</c>; <see cref="StageName"/> is lower-cased, as Docker keeps it.</summary>
public sealed record FromInstruction(SourceRange Lines, string Code, string BaseName, string? StageName, string? Platform) : Instruction(Lines, Code)
{
    public override string Keyword => "FROM";
}
