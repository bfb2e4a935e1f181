using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary>
/// A parsed Dockerfile: the ARGs before the first FROM (usable only in FROM lines, and in a stage that declares
/// them again), the stages, the escape token in force and the parser's warnings.
/// </summary>
public sealed record ParsedDockerfile(
    string FileName,
    ImmutableArray<ArgInstruction> GlobalArgs,
    ImmutableArray<Stage> Stages,
    char EscapeToken,
    string? Syntax,
    ImmutableArray<string> Warnings);
