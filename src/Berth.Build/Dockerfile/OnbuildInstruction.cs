namespace Berth.Build.Dockerfile;

/// <summary><c>ONBUILD instruction</c>: <see cref="Expression"/> is stored in the image (trigger text without ONBUILD) and run by builds FROM it; <see cref="Trigger"/> is that instruction parsed.</summary>
public sealed record OnbuildInstruction(SourceRange Lines, string Code, string Expression, Instruction Trigger) : Instruction(Lines, Code)
{
    public override string Keyword => "ONBUILD";
}
