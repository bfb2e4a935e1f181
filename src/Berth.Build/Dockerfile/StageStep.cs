namespace Berth.Build.Dockerfile;

/// <summary>
/// One step of a stage: the instruction with its variables substituted, the context for the next step, and the
/// image history's <c>created_by</c> text Docker's classic builder writes for it (null for COPY and ADD, whose
/// text needs the sources' digest: <see cref="StageContext.CopyCreatedBy"/>). The classic builder keys its build
/// cache on this text and the config, so equal text means a cache hit is possible.
/// </summary>
public sealed record StageStep(Instruction Instruction, StageContext After, string? CreatedBy);
