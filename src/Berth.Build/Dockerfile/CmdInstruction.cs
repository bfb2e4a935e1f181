namespace Berth.Build.Dockerfile;

/// <summary><c>CMD</c>: the default command (exec or shell form).</summary>
public sealed record CmdInstruction(SourceRange Lines, string Code, CommandLine Command) : Instruction(Lines, Code)
{
    public override string Keyword => "CMD";
}
