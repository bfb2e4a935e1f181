namespace Berth.Build.Dockerfile;

/// <summary><c>WORKDIR path</c>; a relative path is taken from the previous working directory.</summary>
public sealed record WorkdirInstruction(SourceRange Lines, string Code, string Path) : Instruction(Lines, Code)
{
    public override string Keyword => "WORKDIR";
}
