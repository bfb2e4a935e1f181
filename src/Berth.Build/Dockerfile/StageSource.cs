namespace Berth.Build.Dockerfile;

/// <summary>Where a stage starts from, or where <c>COPY --from</c> copies from.</summary>
public abstract record StageSource;

/// <summary>An image to pull or find locally (<c>FROM alpine:3.20</c>, <c>COPY --from=nginx:latest</c>).</summary>
public sealed record ImageSource(string Reference) : StageSource;

/// <summary>The result of an earlier stage of the same Dockerfile, by name or by index.</summary>
public sealed record PreviousStage(int Index, string? Name) : StageSource;

/// <summary><c>FROM scratch</c>: an empty file system and an empty config.</summary>
public sealed record ScratchSource : StageSource
{
    public const string Name = "scratch";
}

/// <summary>
/// A FROM or <c>COPY --from</c> Docker 20.10 refuses only when the build reaches it (a blank base name, a stage name used
/// twice, a stage index out of range): the build fails there with <paramref name="Reason"/>, after the step's line or,
/// with <paramref name="BeforeStep"/>, before it.
/// </summary>
public sealed record InvalidSource(string Reason, bool BeforeStep = false) : StageSource;
