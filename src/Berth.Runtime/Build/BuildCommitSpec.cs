namespace Berth.Runtime.Build;

/// <summary>
/// How a build step is recorded: its config changes and its history entry (<c>created_by</c> as the engine words it,
/// moby's classic builder: <c>/bin/sh -c #(nop)  ENV A=b</c>, <c>/bin/sh -c echo hi</c>, <c>COPY dir:HEX in /app</c>).
/// </summary>
public sealed record BuildCommitSpec
{
    public required string CreatedBy { get; init; }

    public BuildConfigChanges Changes { get; init; } = BuildConfigChanges.None;

    /// <summary><c>MAINTAINER</c>: the image's and the step's author.</summary>
    public string Author { get; init; } = "";

    public string Comment { get; init; } = "";
}
