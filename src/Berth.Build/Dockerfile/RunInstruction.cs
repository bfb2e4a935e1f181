using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary><c>RUN [--mount=…] [--network=…] [--security=…] command</c>; heredocs are the bodies named in the command.</summary>
public sealed record RunInstruction(SourceRange Lines, string Code, CommandLine Command, ImmutableArray<Heredoc> Heredocs, ImmutableArray<string> Mounts, string? Network, string? Security) : Instruction(Lines, Code)
{
    public override string Keyword => "RUN";
}
