using Berth.Build.Dockerfile;
using Berth.Core.Errors;
using Berth.Runtime.Build;
using Berth.Runtime.Images;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Build.Engine;

/// <summary>
/// Docker's classic builder over Berth's build primitives: the Dockerfile parsed and planned (<see cref="BuildPlan"/>),
/// every stage up to the target run step by step from its base image's config (ONBUILD triggers first), RUN in a
/// throwaway container, COPY/ADD from the context or another stage, WORKDIR making its directory, metadata steps as
/// config-only commits, each step first looked up in the <see cref="BuildCache"/>; <c>--label</c>s as last LABEL steps;
/// the tags set at the end. A failed step
/// leaves no container and no snapshot; the images of completed steps stay as cache, as moby's do.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ImageBuilder(ImageStore images, BuildWorkspace workspace, BuildCache cache, BuildNetworks networks, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Builds <paramref name="request"/>, streaming progress to <paramref name="output"/>; returns the image id.</summary>
    public async Task<string> BuildAsync(BuildRequest request, IBuildOutput output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        string text = ReadDockerfile(request);
        var parsed = DockerfileParser.Parse(text, Path.GetFileName(request.DockerfilePath));
        var plan = BuildPlan.Create(parsed, request.Target, request.BuildArgs);
        ContextFilter.Apply(request.ContextDirectory);
        foreach (string warning in parsed.Warnings)
        {
            await output.WriteAsync("[WARNING]: " + warning + "\n", cancellationToken).ConfigureAwait(false);
        }

        await using var run = new BuildRun(images, workspace, cache, networks, request, plan, output);
        string id = await run.RunAsync(cancellationToken).ConfigureAwait(false);
        if (plan.UnusedBuildArgsWarning is { } unused)
        {
            await output.WriteAsync(unused + "\n", cancellationToken).ConfigureAwait(false);
        }

        await output.ImageBuiltAsync(id, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync($"Successfully built {BuildRun.Short(id)}\n", cancellationToken).ConfigureAwait(false);
        await workspace.TagAsync(id, request.Tags, cancellationToken).ConfigureAwait(false);
        foreach (string tag in request.Tags)
        {
            await output.WriteAsync($"Successfully tagged {ImageReference.Parse(tag).FamiliarString}\n", cancellationToken).ConfigureAwait(false);
        }

        BuildEngineLog.Built(_logger, id, run.Steps, run.CachedSteps);
        return id;
    }

    // Docker 20.10: "Cannot locate specified Dockerfile: X" when -f names nothing in the context.
    private static string ReadDockerfile(BuildRequest request)
    {
        string context = Path.GetFullPath(request.ContextDirectory);
        string path = Path.GetFullPath(Path.Combine(context, request.DockerfilePath));
        if (!path.StartsWith(context + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"Cannot locate specified Dockerfile: {request.DockerfilePath}");
        }

        return File.ReadAllText(path);
    }
}
