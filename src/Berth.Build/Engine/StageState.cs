using Berth.Build.Dockerfile;

namespace Berth.Build.Engine;

/// <summary>
/// The stage being run: its current image (null until a step commits over <c>FROM scratch</c>), the Dockerfile
/// context, whether CMD was set in it (an ENTRYPOINT then keeps it), the MAINTAINER, and whether the base's ONBUILD
/// triggers still have to be dropped from the config, whether PATH must be added.
/// </summary>
internal sealed class StageState(PlannedStage stage, string? image, StageContext context)
{
    public PlannedStage Stage { get; } = stage;

    public string? Image { get; set; } = image;

    public StageContext Context { get; set; } = context;

    public bool CmdSet { get; set; }

    public string Author { get; set; } = "";

    public bool ClearOnBuild { get; set; }

    /// <summary>The base image set no PATH: the stage's first commit sets Docker's default (moby's dispatch of FROM adds it to the config).</summary>
    public bool AddsDefaultPath { get; set; }
}
