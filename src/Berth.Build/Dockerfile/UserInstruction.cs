namespace Berth.Build.Dockerfile;

/// <summary><c>USER user[:group]</c>.</summary>
public sealed record UserInstruction(SourceRange Lines, string Code, string User) : Instruction(Lines, Code)
{
    public override string Keyword => "USER";
}
