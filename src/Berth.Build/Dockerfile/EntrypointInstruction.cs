namespace Berth.Build.Dockerfile;

/// <summary><c>ENTRYPOINT</c> (exec or shell form).</summary>
public sealed record EntrypointInstruction(SourceRange Lines, string Code, CommandLine Command) : Instruction(Lines, Code)
{
    public override string Keyword => "ENTRYPOINT";
}
