using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary>
/// A stage the build needs, with its base resolved (FROM expanded with the global ARGs) and the source of each
/// <c>COPY --from</c> resolved, keyed by the COPY's first line.
/// </summary>
public sealed record PlannedStage(
    Stage Stage,
    StageSource Base,
    string? Platform,
    ImmutableDictionary<int, StageSource> CopySources)
{
    public int Index => Stage.Index;

    public string? Name => Stage.Name;

    public ImmutableArray<Instruction> Instructions => Stage.Instructions;

    /// <summary>Where this <c>COPY --from</c> copies from; null for a COPY from the build context.</summary>
    public StageSource? CopySourceOf(CopyInstruction copy) =>
        CopySources.TryGetValue(copy.Lines.StartLine, out var source) ? source : null;
}
