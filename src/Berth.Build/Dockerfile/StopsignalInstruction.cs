namespace Berth.Build.Dockerfile;

/// <summary><c>STOPSIGNAL SIGTERM</c>.</summary>
public sealed record StopsignalInstruction(SourceRange Lines, string Code, string Signal) : Instruction(Lines, Code)
{
    public override string Keyword => "STOPSIGNAL";
}
