namespace Berth.Build.Dockerfile;

/// <summary>
/// One typed Dockerfile instruction. <see cref="Code"/> is the instruction as written, continuations joined and
/// trimmed — what Docker prints as <c>Step 3/7 : …</c>; <see cref="Lines"/> is where it stands in the file.
/// Values are as parsed: variable substitution happens later, step by step, in <see cref="StageContext"/>.
/// </summary>
public abstract record Instruction(SourceRange Lines, string Code)
{
    /// <summary>The keyword in upper case: <c>RUN</c>, <c>COPY</c>, …</summary>
    public abstract string Keyword { get; }

    public override string ToString() => Code;
}
