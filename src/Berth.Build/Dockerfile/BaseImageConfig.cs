using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary>What a stage inherits from its base image's config: environment, working directory and shell.</summary>
public sealed record BaseImageConfig(ImmutableArray<string> Env, string WorkingDir, ImmutableArray<string> Shell)
{
    public static BaseImageConfig Scratch { get; } = new([], "", []);
}
