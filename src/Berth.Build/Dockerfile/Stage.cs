using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary>One build stage: its FROM and the instructions up to the next FROM. <see cref="Index"/> counts from 0.</summary>
public sealed record Stage(int Index, FromInstruction From, ImmutableArray<Instruction> Instructions)
{
    public string? Name => From.StageName;
}
