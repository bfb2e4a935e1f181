using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary><c>LABEL a=b …</c>.</summary>
public sealed record LabelInstruction(SourceRange Lines, string Code, ImmutableArray<KeyValue> Labels) : Instruction(Lines, Code)
{
    public override string Keyword => "LABEL";

    /// <summary>The labels are final: neither unquoted nor substituted (a <c>--label</c>'s).</summary>
    public bool Literal { get; init; }

    /// <summary>
    /// The step a build's <c>--label KEY=VALUE</c> adds after the target stage's instructions: <c>LABEL KEY=VALUE</c>, one
    /// per label, the value exactly as given (Docker 20.10 prints and records it so, and substitutes nothing).
    /// </summary>
    public static LabelInstruction Option(string key, string value) =>
        new(default, $"LABEL {key}={value}", [new KeyValue(key, value)]) { Literal = true };
}
