using System.Collections.Immutable;

namespace Berth.Build.Engine;

/// <summary>
/// One <c>docker build</c> (the classic builder's <c>POST /build</c> options). <see cref="ContextDirectory"/> is the
/// build's own copy of the context: entries the context's <c>.dockerignore</c> excludes are deleted from it before any
/// step runs, so COPY never sees them.
/// </summary>
public sealed record BuildRequest
{
    public required string ContextDirectory { get; init; }

    /// <summary>Relative to the context (<c>-f</c>); Docker's default is <c>Dockerfile</c>.</summary>
    public string DockerfilePath { get; init; } = Dockerfile.DockerfileParser.DefaultFileName;

    /// <summary><c>-t</c>: set on the final image once every step succeeded.</summary>
    public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary><c>--build-arg NAME=value</c>; a null value takes the client's environment (the CLI resolves it) or nothing.</summary>
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = ImmutableDictionary<string, string?>.Empty;

    public string? Target { get; init; }

    /// <summary><c>--label</c>: one more LABEL step at the end of the target stage (Docker 20.10 appends it the same way).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    public bool NoCache { get; init; }

    /// <summary><c>--pull</c>: accepted; base images come from the local store either way (Berth's builder pulls nothing).</summary>
    public bool Pull { get; init; }

    /// <summary><c>--rm</c> (default on): prints "Removing intermediate container"; step containers never outlive their step either way.</summary>
    public bool Remove { get; init; } = true;

    public bool ForceRemove { get; init; }

    /// <summary><c>--network</c>: <c>none</c>, <c>host</c>, or <c>default</c>/<c>bridge</c> (run as <c>host</c>, see docs/images.md).</summary>
    public string NetworkMode { get; init; } = "default";

    /// <summary><c>--add-host name:ip</c>, written into every RUN step's /etc/hosts.</summary>
    public ImmutableArray<string> ExtraHosts { get; init; } = [];
}
