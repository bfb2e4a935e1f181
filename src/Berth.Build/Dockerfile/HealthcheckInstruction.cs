namespace Berth.Build.Dockerfile;

/// <summary><c>HEALTHCHECK NONE</c> or <c>HEALTHCHECK [--interval …] CMD command</c>.</summary>
public sealed record HealthcheckInstruction(SourceRange Lines, string Code, HealthcheckConfig Health) : Instruction(Lines, Code)
{
    public override string Keyword => "HEALTHCHECK";
}
