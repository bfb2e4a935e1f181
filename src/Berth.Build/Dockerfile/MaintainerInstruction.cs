namespace Berth.Build.Dockerfile;

/// <summary><c>MAINTAINER name</c> (deprecated, still accepted: sets the image author).</summary>
public sealed record MaintainerInstruction(SourceRange Lines, string Code, string Maintainer) : Instruction(Lines, Code)
{
    public override string Keyword => "MAINTAINER";
}
